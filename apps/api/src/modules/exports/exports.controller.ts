import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { Query } from '../../common/http/validation';
import { ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCode, PatScope } from '@atrium/contracts';
import { type AuthUser, CurrentUser } from '../../common/auth';
import { RawResponse } from '../../common/decorators/raw-response.decorator';
import { ApiException } from '../../common/http/api.exception';
import { Route } from '../../common/http/route.decorator';
import { DataExportDto } from './dto/export.dto';
import { EXPORT_TTL_HOURS, ExportsService } from './exports.service';

@ApiTags('Me')
@Controller('me/exports')
export class MyExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Post()
  @HttpCode(202)
  @Route({
    summary: 'Export your data: profile, posts, comments and images, as a zip',
    description: `Starts building a zip in the background and answers at once (\`202\`); poll \`GET /me/exports/:id\` for \`progress\`. When it is \`done\`, \`downloadUrl\` works for ${EXPORT_TTL_HOURS} h and a mail says so. While one is being built, asking again answers that one. Personal access tokens need the \`${PatScope.PROFILE_READ}\` scope.`,
    access: 'signed-in',
    scope: PatScope.PROFILE_READ,
    response: { type: DataExportDto, status: 202 },
  })
  start(@CurrentUser() user: AuthUser): Promise<DataExportDto> {
    return this.exports.start(user);
  }

  @Get()
  @Route({
    summary: 'Your ten most recent exports, newest first',
    access: 'signed-in',
    scope: PatScope.PROFILE_READ,
    response: { type: DataExportDto, array: true },
  })
  list(@CurrentUser() user: AuthUser): Promise<DataExportDto[]> {
    return this.exports.recent(user);
  }

  @Get(':id')
  @Route({
    summary: 'One of your exports: its progress, then its download link',
    access: 'signed-in',
    scope: PatScope.PROFILE_READ,
    response: { type: DataExportDto },
    errors: [400, 404],
  })
  get(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<DataExportDto> {
    return this.exports.get(user, id);
  }
}

@ApiTags('Me')
@Controller('exports')
export class ExportDownloadsController {
  constructor(private readonly exports: ExportsService) {}

  @Get(':id/download')
  @RawResponse()
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({ name: 'token', required: true, schema: { type: 'string', maxLength: 100 } })
  @ApiResponse({
    status: 200,
    description: 'The zip',
    content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
    headers: {
      'Content-Disposition': {
        description: 'attachment; filename="atrium-export-<date>.zip"',
        schema: { type: 'string' },
      },
    },
  })
  @Route({
    summary: 'Download an export (the signed `downloadUrl`)',
    description: `The link itself is the permission: it names the export and its expiry, signed by the server, and works for ${EXPORT_TTL_HOURS} h after the export was built. A wrong, altered or expired link is 404.`,
    access: 'public',
    errors: [400, 404],
  })
  async download(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('token') token: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const file = typeof token === 'string' && token.length <= 100 ? await this.exports.download(id, token) : null;
    if (!file) throw new ApiException(404, ErrorCode.NOT_FOUND, 'No such export, or the link has expired');
    void reply.headers({
      'Content-Type': 'application/zip',
      'Content-Length': String(file.bytes),
      'Content-Disposition': `attachment; filename="${file.name}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    return file.stream;
  }
}
