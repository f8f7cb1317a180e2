import { Controller, Delete, Get, Param, ParseUUIDPipe, Patch, Post, Req, Res } from '@nestjs/common';
import { Body, Query } from '../../common/http/validation';
import { ApiBody, ApiConsumes, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorCode } from '@atrium/contracts';
import { type AuthenticatedRequest, type AuthUser, CurrentUser } from '../../common/auth';
import { RawResponse } from '../../common/decorators/raw-response.decorator';
import { ErrorResponseDto } from '../../common/dto/envelope.dto';
import { ApiException } from '../../common/http/api.exception';
import { ApiPaginatedResponse, type Paginated, PaginationQueryDto } from '../../common/http/pagination';
import { MessageDto } from '../identity/dto/auth.dto';
import { Route } from '../../common/http/route.decorator';
import { AVATAR_CACHE_CONTROL } from '../avatars/avatar-key';
import { AVATAR_FIELD, readImageUpload } from '../avatars/avatar-upload';
import { DeleteMediaQueryDto, MediaDto, UpdateMediaDto } from './dto/media.dto';
import { MEDIA_MAX_BYTES, MEDIA_MAX_INPUT_PIXELS, MEDIA_WIDTHS } from './media-image';
import { MediaService } from './media.service';

@ApiTags('Media')
@Controller('media')
export class MediaController {
  constructor(private readonly media: MediaService) {}

  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: [AVATAR_FIELD],
      additionalProperties: false,
      properties: {
        [AVATAR_FIELD]: {
          type: 'string',
          format: 'binary',
          description: `A PNG, JPEG or WebP image of at most ${MEDIA_MAX_BYTES} bytes`,
        },
      },
    },
  })
  @ApiResponse({
    status: 413,
    description: `PAYLOAD_TOO_LARGE: the file is larger than ${MEDIA_MAX_BYTES} bytes (10 MB)`,
    type: ErrorResponseDto,
  })
  @ApiResponse({
    status: 415,
    description:
      'UNSUPPORTED_MEDIA_TYPE: the file is not a PNG, JPEG or WebP image (judged by its content), or the body is not multipart/form-data',
    type: ErrorResponseDto,
  })
  @Route({
    summary: 'Upload an image to the media library (PNG, JPEG or WebP, at most 10 MB)',
    description: [
      `Send the image as \`multipart/form-data\` in one file field named \`${AVATAR_FIELD}\`, and nothing else. The type is decided by the file's content, never its name.`,
      `It is turned upright and stored as WebP at widths of ${MEDIA_WIDTHS.join(', ')} pixels (those below its own, never enlarged) for \`srcset\`, without any metadata (EXIF, GPS, ICC); the upload itself is not kept. Images over ${MEDIA_MAX_INPUT_PIXELS / 1_000_000} megapixels are refused.`,
      'Give it alt text (`PATCH`) before a post that shows it is published. In a post, write `![alt](media:<id>)`, or set it as `coverMediaId`.',
    ].join('\n\n'),
    access: { permissions: ['posts:create'] },
    verifiedEmail: true,
    response: { type: MediaDto, status: 201 },
    errors: [400],
  })
  async upload(@CurrentUser() user: AuthUser, @Req() request: AuthenticatedRequest): Promise<MediaDto> {
    return this.media.upload(user, await readImageUpload(request, MEDIA_MAX_BYTES));
  }

  @Get()
  @Route({
    summary: 'The media library: your images, newest first (editors: everyone’s)',
    access: { permissions: ['posts:create'] },
    errors: [400],
  })
  @ApiPaginatedResponse(MediaDto)
  list(@CurrentUser() user: AuthUser, @Query() query: PaginationQueryDto): Promise<Paginated<MediaDto>> {
    return this.media.list(user, query);
  }

  @Get(':id')
  @Route({
    summary: 'One image of the library (yours; editors: any)',
    access: { permissions: ['posts:create'] },
    response: { type: MediaDto },
    errors: [400, 404],
  })
  get(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<MediaDto> {
    return this.media.get(user, id);
  }

  @Patch(':id')
  @Route({
    summary: 'Describe an image: alt text and caption',
    description: 'The posts that show it are rendered again with the new alt text at once.',
    access: { permissions: ['posts:create'] },
    response: { type: MediaDto },
    errors: [400, 404],
  })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateMediaDto,
  ): Promise<MediaDto> {
    return this.media.update(user, id, body);
  }

  @Delete(':id')
  @Route({
    summary: 'Delete an image (refused while posts show it, unless ?force=true)',
    description:
      '`409 MEDIA_IN_USE` while a post (not deleted) shows it in its body or as its cover. With `force=true` it goes anyway: covers that were it become none, and bodies keep a broken image until edited.',
    access: { permissions: ['posts:create'] },
    response: { type: MessageDto },
    errors: [400, 404, 409],
  })
  async remove(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: DeleteMediaQueryDto,
  ): Promise<MessageDto> {
    await this.media.remove(user, id, query.force === true);
    return { message: 'Image deleted' };
  }
}

/** Served images: immutable (a stored variant never changes) and inert outside an <img>. */
const IMAGE_HEADERS = {
  'Content-Type': 'image/webp',
  'Cache-Control': AVATAR_CACHE_CONTROL,
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'",
} as const;

@ApiTags('Media')
@Controller('media/files')
export class MediaFilesController {
  constructor(private readonly media: MediaService) {}

  @Get(':key')
  @RawResponse()
  @ApiParam({
    name: 'key',
    description: '32 lowercase hex digits',
    schema: { type: 'string', pattern: '^[0-9a-f]{32}$' },
  })
  @ApiResponse({
    status: 200,
    description: 'The image',
    content: { 'image/webp': { schema: { type: 'string', format: 'binary' } } },
    headers: {
      'Cache-Control': { description: 'public, max-age=31536000, immutable', schema: { type: 'string' } },
      'Content-Security-Policy': { description: "default-src 'none'", schema: { type: 'string' } },
      'X-Content-Type-Options': { description: 'nosniff', schema: { type: 'string' } },
    },
  })
  @Route({
    summary: 'A stored image variant (public)',
    description:
      'What `url`, `srcset` and `variants` of an image point at. Keys are random and never reused, so responses are cacheable for a year. Anyone with the URL can load it; nothing lists keys.',
    access: 'public',
    errors: [404],
  })
  async file(@Param('key') key: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const image = await this.media.file(key);
    if (image === null) throw new ApiException(404, ErrorCode.NOT_FOUND, 'No such image');
    void reply.headers(IMAGE_HEADERS);
    return image;
  }
}
