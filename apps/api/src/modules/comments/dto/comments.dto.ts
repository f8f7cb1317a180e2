import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import { Transform } from 'class-transformer';
import { ApiNullableObject } from '../../../common/dto/nullable-object';
import { Optional } from '../../../common/http/optional';
import { PaginationQueryDto } from '../../../common/http/pagination';
import { NotBlank, toInteger } from '../../../common/http/transforms';
import { COMMENT_STATUSES, type CommentStatus } from '../entities/comment.entity';

export const COMMENT_BODY_MAX = 5_000;
export const MODERATION_ACTIONS = ['approve', 'reject', 'delete'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

export class CreateCommentDto {
  @ApiProperty({
    minLength: 1,
    maxLength: COMMENT_BODY_MAX,
    description: 'Markdown: paragraphs, emphasis, lists, quotes, code and links (sanitized when saved)',
    example: 'The tide tables were **exactly** what I needed.',
  })
  @IsString()
  @Length(1, COMMENT_BODY_MAX)
  @NotBlank()
  body: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The comment this replies to (replies nest 5 levels deep)' })
  @Optional()
  @IsUUID('all', { message: 'parentId must be a comment id' })
  parentId?: string;
}

export class UpdateCommentDto {
  @ApiProperty({ minLength: 1, maxLength: COMMENT_BODY_MAX, example: 'The tide tables were exactly what I needed.' })
  @IsString()
  @Length(1, COMMENT_BODY_MAX)
  @NotBlank()
  body: string;
}

export class ThreadQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 20, description: 'Threads (top-level comments) per page' })
  @Optional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(50)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'From `meta.cursor.next` of the previous page', maxLength: 100 })
  @Optional()
  @IsString()
  @Length(1, 100)
  cursor?: string;
}

export class ModerationQueueQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: COMMENT_STATUSES, default: 'pending' })
  @Optional()
  @IsIn(COMMENT_STATUSES)
  status: CommentStatus = 'pending';
}

export class ModerateCommentsDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: 100, uniqueItems: true, description: 'Comment ids' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'ids must be comment ids' })
  ids: string[];

  @ApiProperty({ enum: MODERATION_ACTIONS })
  @IsIn(MODERATION_ACTIONS)
  action: ModerationAction;
}

export class CommentAuthorDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty({ type: String, nullable: true, description: 'Path of the avatar image' }) avatarUrl: string | null;
}

/** A comment; a deleted one that has replies keeps its place with `deleted: true` and nothing else. */
export class CommentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) postId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) parentId: string | null;
  @ApiProperty({ description: '0 for a top-level comment, up to 4' }) depth: number;
  @ApiProperty({ enum: COMMENT_STATUSES, description: 'Others see approved comments only' }) status: CommentStatus;
  @ApiProperty() deleted: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'The Markdown as written (null when deleted)' })
  body: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Sanitized HTML (null when deleted)' })
  html: string | null;
  @ApiNullableObject('Who wrote it (null when deleted)', {
    id: { type: 'string', format: 'uuid' },
    username: { type: 'string' },
    avatarUrl: { type: 'string', nullable: true },
  })
  author: CommentAuthorDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) editedAt: string | null;
  @ApiProperty({
    format: 'date-time',
    description:
      'Until when its author may edit it (`COMMENT_EDIT_WINDOW_MINUTES` after it was written; moderators any time)',
  })
  editableUntil: string;
}

export class CommentNodeDto extends CommentDto {
  @ApiProperty({ type: () => [CommentNodeDto], description: 'Replies, oldest first' })
  replies: CommentNodeDto[];
}

export class CommentInQueueDto extends CommentDto {
  @ApiProperty({ description: "The post's title" }) postTitle: string;
  @ApiProperty({ description: "The post's slug" }) postSlug: string;
}

export class ModerationResultDto {
  @ApiProperty({ description: 'Comments changed' }) changed: number;
  @ApiProperty({ type: [String], description: 'Ids that name no comment (left alone)' }) missing: string[];
}
