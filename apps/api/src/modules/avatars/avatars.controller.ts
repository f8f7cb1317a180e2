import { Controller, Delete, Get, Param, Put, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Route } from '../../common/http/route.decorator';
import type { FastifyReply } from 'fastify';
import { ErrorCode, PatScope } from '@atrium/contracts';
import { RawResponse } from '../../common/decorators/raw-response.decorator';
import { ErrorResponseDto } from '../../common/dto/envelope.dto';
import { ApiException } from '../../common/http/api.exception';
import { type AuthenticatedRequest, type AuthUser, CurrentUser } from '../../common/auth';
import { AVATAR_CONTENT_TYPE, AVATAR_MAX_BYTES, AVATAR_MAX_INPUT_PIXELS, AVATAR_SIZE } from './avatar-image';
import { AVATAR_CACHE_CONTROL, avatarUrl } from './avatar-key';
import { AVATAR_FIELD, readAvatarUpload } from './avatar-upload';
import { AvatarsService } from './avatars.service';
import { AvatarDto } from './dto/avatar.dto';

/** Headers of a served avatar: immutable (a new image gets a new key) and inert outside an <img>. */
const IMAGE_HEADERS = {
  'Content-Type': AVATAR_CONTENT_TYPE,
  'Cache-Control': AVATAR_CACHE_CONTROL,
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'",
} as const;

@ApiTags('Me')
@Controller('me/avatar')
export class MeAvatarController {
  constructor(private readonly avatars: AvatarsService) {}

  @Put()
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: [AVATAR_FIELD],
      // One file part and nothing else: any other part is refused.
      additionalProperties: false,
      properties: {
        [AVATAR_FIELD]: {
          type: 'string',
          format: 'binary',
          description: `A PNG, JPEG or WebP image of at most ${AVATAR_MAX_BYTES} bytes`,
        },
      },
    },
  })
  @ApiResponse({
    status: 413,
    description: `PAYLOAD_TOO_LARGE: the file is larger than ${AVATAR_MAX_BYTES} bytes (2 MB)`,
    type: ErrorResponseDto,
  })
  @ApiResponse({
    status: 415,
    description:
      'UNSUPPORTED_MEDIA_TYPE: the file is not a PNG, JPEG or WebP image (judged by its content), or the body is not multipart/form-data',
    type: ErrorResponseDto,
  })
  @Route({
    summary: 'Set your avatar (PNG, JPEG or WebP, at most 2 MB)',
    description: [
      `Send the image as \`multipart/form-data\` in one file field named \`${AVATAR_FIELD}\`, and nothing else.`,
      'The type is decided by the file content, never by its name or declared Content-Type: PNG, JPEG and WebP are accepted; SVG, GIF, HTML and anything else are refused with 415.',
      `The picture is turned upright, cropped to a centred square, scaled to ${AVATAR_SIZE}×${AVATAR_SIZE} and stored as WebP without any metadata (EXIF, GPS, ICC).`,
      `Images over ${AVATAR_MAX_INPUT_PIXELS / 1_000_000} megapixels are refused. The previous avatar is deleted. Personal access tokens need the \`${PatScope.PROFILE_WRITE}\` scope.`,
    ].join('\n\n'),
    access: 'signed-in',
    scope: PatScope.PROFILE_WRITE,
    response: { type: AvatarDto },
    errors: [400],
  })
  async replace(@CurrentUser() user: AuthUser, @Req() request: AuthenticatedRequest): Promise<AvatarDto> {
    const upload = await readAvatarUpload(request);
    return { avatarUrl: avatarUrl(await this.avatars.replace(user.id, upload)) };
  }

  @Delete()
  @Route({
    summary: 'Remove your avatar',
    description: `The image is deleted; removing when there is none succeeds too. Personal access tokens need the \`${PatScope.PROFILE_WRITE}\` scope.`,
    access: 'signed-in',
    scope: PatScope.PROFILE_WRITE,
    response: { type: AvatarDto },
  })
  async remove(@CurrentUser() user: AuthUser): Promise<AvatarDto> {
    await this.avatars.remove(user.id);
    return { avatarUrl: null };
  }
}

@ApiTags('Avatars')
@Controller('avatars')
export class AvatarsController {
  constructor(private readonly avatars: AvatarsService) {}

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
    summary: 'An avatar image (public)',
    description:
      "The 256×256 WebP behind a user's `avatarUrl`. Keys are random and change with every new image, so responses are cacheable for a year. Anyone with the URL can load it; nothing lists keys.",
    access: 'public',
    errors: [404],
  })
  async image(@Param('key') key: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    // Malformed keys (traversal attempts included) get the same answer as unknown ones.
    const image = await this.avatars.image(key);
    if (image === null) throw new ApiException(404, ErrorCode.NOT_FOUND, 'No such avatar');
    void reply.headers(IMAGE_HEADERS);
    return image;
  }
}
