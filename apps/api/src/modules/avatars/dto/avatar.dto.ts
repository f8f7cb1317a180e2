import { ApiProperty } from '@nestjs/swagger';

export class AvatarDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Path (on the API origin) of your avatar: a 256×256 WebP image that never changes, so it may be cached for good; null without an avatar',
    example: '/api/v1/avatars/0f8e9c3b5a7d41e2b6c4d8a0f1e2d3c4',
  })
  avatarUrl: string | null;
}
