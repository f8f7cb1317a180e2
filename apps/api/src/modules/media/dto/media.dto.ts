import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsString, MaxLength } from 'class-validator';
import { Optional } from '../../../common/http/optional';
import { toBoolean, trim } from '../../../common/http/transforms';

export const ALT_TEXT_MAX = 500;
export const CAPTION_MAX = 1000;

export class MediaVariantDto {
  @ApiProperty({ example: '/api/v1/media/files/3f2a9c0e5b7d41e8a6c4f1b2d3e4f5a6' }) url: string;
  @ApiProperty({ example: 960 }) width: number;
  @ApiProperty({ example: 640 }) height: number;
  @ApiProperty({ example: 84210 }) bytes: number;
}

export class MediaDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) ownerId: string;
  @ApiProperty({ description: 'The largest variant', example: '/api/v1/media/files/3f2a9c0e5b7d41e8a6c4f1b2d3e4f5a6' })
  url: string;
  @ApiProperty({
    description: 'Every variant as an `<img srcset>` value',
    example: '/api/v1/media/files/… 480w, /api/v1/media/files/… 960w',
  })
  srcset: string;
  @ApiProperty({ description: "The largest variant's width in pixels", example: 1600 }) width: number;
  @ApiProperty({ example: 1067 }) height: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'What the image shows, for those who cannot see it; null until given',
  })
  altText: string | null;
  @ApiProperty({ type: String, nullable: true }) caption: string | null;
  @ApiProperty({ enum: ['png', 'jpeg', 'webp'], description: 'What was uploaded (everything is stored as WebP)' })
  sourceFormat: string;
  @ApiProperty({ type: [MediaVariantDto], description: 'Smallest first' }) variants: MediaVariantDto[];
  @ApiProperty({ description: 'Posts that show it (in the body or as cover), deleted ones aside' }) usedBy: number;
  @ApiProperty({
    description: "How to put it in a post's Markdown",
    example: '![A lighthouse at dusk](media:0190a000-0000-7000-8000-000000000001)',
  })
  markdown: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class UpdateMediaDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: ALT_TEXT_MAX,
    description: 'What the image shows; empty or null clears it (posts cannot be published with an image without one)',
    example: 'A lighthouse at dusk, its beam over a calm sea',
  })
  @Optional({ nullable: true })
  @Transform(trim)
  @IsString()
  @MaxLength(ALT_TEXT_MAX)
  altText?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: CAPTION_MAX, example: 'Cape Point, 2024' })
  @Optional({ nullable: true })
  @Transform(trim)
  @IsString()
  @MaxLength(CAPTION_MAX)
  caption?: string | null;
}

export class DeleteMediaQueryDto {
  @ApiPropertyOptional({
    type: Boolean,
    description: 'Delete even while posts show it (they keep a broken image until edited)',
  })
  @Optional()
  @Transform(toBoolean)
  @IsBoolean()
  force?: boolean;
}
