import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsSort, ListQueryDto } from '../../../common/http/list';
import { ApiNullableObject } from '../../../common/dto/nullable-object';
import { Optional } from '../../../common/http/optional';
import { NotBlank, toBoolean, toDecimal, trim } from '../../../common/http/transforms';
import { ACCESSIBILITY_CODES, type AccessibilityCode } from '../content/accessibility';
import { POST_STATUSES, POST_VISIBILITIES, type PostStatus, type PostVisibility } from '../entities/post.entity';
import { IsDateTime } from '../../../common/http/date-time';

export const TITLE_MAX = 200;
export const BODY_MAX = 100_000;
export const EXCERPT_MAX = 500;
export const SLUG_MAX = 120;
export const TAGS_MAX = 10;
/** Lower-case letters and digits in dash-separated words: `my-first-post`. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const POST_SORT_FIELDS = ['publishedAt', 'viewCount', 'title'] as const;
export const MY_POST_SORT_FIELDS = ['updatedAt', 'createdAt', 'title'] as const;

/** The title: required on creation, optional on edits (`required: false`). */
const TitleField = ({ required = true } = {}): PropertyDecorator =>
  applyDecorators(
    (required ? ApiProperty : ApiPropertyOptional)({
      minLength: 1,
      maxLength: TITLE_MAX,
      example: 'Tides of the northern harbour',
    }),
    ...(required ? [] : [Optional()]),
    Transform(trim),
    IsString(),
    Length(1, TITLE_MAX),
    NotBlank(),
  );

/** The Markdown body: required on creation, optional on edits. */
const BodyField = ({ required = true } = {}): PropertyDecorator =>
  applyDecorators(
    (required ? ApiProperty : ApiPropertyOptional)({
      maxLength: BODY_MAX,
      description: 'Markdown (raw HTML allowed; sanitized when saved)',
      example: '## High water\n\nTwice a day the harbour fills. Read the [tide tables](https://example.com/tides).',
    }),
    ...(required ? [] : [Optional()]),
    IsString(),
    MaxLength(BODY_MAX),
  );

/** What a post may set beside its title and body, on creation and on edits alike (all optional). */
class PostOptionsDto {
  @ApiPropertyOptional({
    type: String,
    maxLength: EXCERPT_MAX,
    nullable: true,
    description: 'Shown in lists; derived from the body when absent, empty or null',
  })
  @Optional({ nullable: true })
  @Transform(trim)
  @IsString()
  @MaxLength(EXCERPT_MAX)
  excerpt?: string | null;

  @ApiPropertyOptional({
    maxLength: SLUG_MAX,
    description: 'The address (`/posts/<slug>`); made from the title when absent. Old slugs keep answering with 301.',
    example: 'tides-of-the-northern-harbour',
  })
  @Optional()
  @IsString()
  @MaxLength(SLUG_MAX)
  @Matches(SLUG_PATTERN, { message: 'slug takes lower-case letters and digits in dash-separated words' })
  slug?: string;

  @ApiPropertyOptional({
    enum: POST_VISIBILITIES,
    description: '`members`: signed-in readers only. A new post is `public` unless told',
  })
  @Optional()
  @IsIn(POST_VISIBILITIES)
  visibility?: PostVisibility;

  @ApiPropertyOptional({ description: 'Shown first in the feed; editors only. A new post is not unless told' })
  @Optional()
  @IsBoolean()
  featured?: boolean;

  @ApiPropertyOptional({
    description: 'Whether readers may comment (comments stay readable when closed). A new post is open unless told',
  })
  @Optional()
  @IsBoolean()
  commentsOpen?: boolean;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The category it is filed under (`GET /categories`); null for none',
  })
  @Optional({ nullable: true })
  @IsUUID('all', { message: 'categoryId must be a category id' })
  categoryId?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'Its cover image (an id from `GET /media`); null for none. It needs alt text before the post is published',
  })
  @Optional({ nullable: true })
  @IsUUID('all', { message: 'coverMediaId must be a media id' })
  coverMediaId?: string | null;

  @ApiPropertyOptional({
    type: [String],
    maxItems: TAGS_MAX,
    uniqueItems: true,
    description: `Its tags (\`GET /tags\`), at most ${TAGS_MAX}; replaces the ones it had`,
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(TAGS_MAX)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'tagIds must be tag ids' })
  tagIds?: string[];
}

export class CreatePostDto extends PostOptionsDto {
  @TitleField()
  title: string;

  @BodyField()
  body: string;
}

/** Only what is sent changes; `null` only where a field says nullable (the excerpt). */
export class UpdatePostDto extends PostOptionsDto {
  @TitleField({ required: false })
  title?: string;

  @BodyField({ required: false })
  body?: string;
}

/** A body to render as saving would, without saving anything (the editor's live preview). */
export class PreviewPostDto {
  @BodyField()
  body: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The cover the post would have (an id from `GET /media`): the report checks its alt text too',
  })
  @Optional({ nullable: true })
  @IsUUID('all', { message: 'coverMediaId must be a media id' })
  coverMediaId?: string | null;
}

export class AccessibilityProblemDto {
  @ApiProperty({ enum: ACCESSIBILITY_CODES }) code: AccessibilityCode;
  @ApiProperty({ description: 'What is wrong and how to fix it' }) message: string;
}

export class AccessibilityReportDto {
  @ApiProperty({ description: 'Whether the post may be published as it is' }) ok: boolean;
  @ApiProperty({ type: AccessibilityProblemDto, isArray: true }) problems: AccessibilityProblemDto[];
}

/** The body as saving it would store it: HTML, what is derived from its text, and what would block publishing. */
export class PostPreviewDto {
  @ApiProperty({ description: 'The sanitized HTML, rendered as a save by the caller would render it' }) html: string;
  @ApiProperty({ description: 'Minutes, at 230 words a minute' }) readingTimeMinutes: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Flesch–Kincaid grade (US school year)' })
  readingLevel: number | null;
  @ApiProperty({ type: AccessibilityReportDto, description: 'What would keep the post from being published' })
  accessibility: AccessibilityReportDto;
}

export class RevisionEditorDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
}

export class PostRevisionSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time', description: 'When this save happened' }) createdAt: string;
  @ApiProperty({ type: RevisionEditorDto, nullable: true, description: 'Who saved it' })
  editor: RevisionEditorDto | null;
}

export const DIFF_OPS = ['equal', 'added', 'removed'] as const;

export class DiffPartDto {
  @ApiProperty({ enum: DIFF_OPS, description: '`added`: in the current body only; `removed`: in this revision only' })
  op: (typeof DIFF_OPS)[number];
  @ApiProperty({ description: 'Whole lines, with their line ends' }) text: string;
}

export class PostRevisionDto extends PostRevisionSummaryDto {
  @ApiProperty({ description: 'The Markdown body as saved then' }) body: string;
  @ApiProperty({
    type: DiffPartDto,
    isArray: true,
    description: 'From this revision to the current body, line by line',
  })
  diff: DiffPartDto[];
}

export class SchedulePostDto {
  @ApiProperty({
    format: 'date-time',
    description: 'When the post goes live (in the future, with its time zone: `2026-12-24T18:00:00+01:00`)',
    example: '2030-12-24T18:00:00Z',
  })
  @IsDateTime()
  at: string;
}

export class PostAuthorDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty({ type: String, nullable: true }) firstName: string | null;
  @ApiProperty({ type: String, nullable: true }) lastName: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Path of the avatar image' }) avatarUrl: string | null;
}

export class PostCategoryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;
}

export interface PostCoverDto {
  id: string;
  url: string;
  srcset: string;
  width: number;
  height: number;
  altText: string | null;
}

export class PostTagDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;
  @ApiProperty({ type: String, nullable: true, description: '`#rrggbb`' }) color: string | null;
}

export const SEARCH_MATCHES = ['words', 'similar'] as const;

/** Why a search listed a post. */
export class SearchMatchDto {
  @ApiProperty({
    enum: SEARCH_MATCHES,
    description: '`words`: full-text match, ranked; `similar`: no post had the words, this title has one like them',
  })
  by: (typeof SEARCH_MATCHES)[number];
  @ApiProperty({ description: 'Relevance, higher first (only comparable within one search)' }) rank: number;
  @ApiProperty({
    description:
      'Text around the match as HTML: escaped text with the matched words in `<mark>` (nothing else is markup)',
    example: 'Twice a day the <mark>harbour</mark> fills …',
  })
  snippet: string;
}

/** A post in lists: everything but the body. */
export class PostSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() slug: string;
  @ApiProperty() excerpt: string;
  @ApiProperty({ enum: POST_STATUSES }) status: PostStatus;
  @ApiProperty({ enum: POST_VISIBILITIES }) visibility: PostVisibility;
  @ApiProperty() featured: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) publishedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) scheduledAt: string | null;
  @ApiProperty({ description: 'Minutes, at 230 words a minute' }) readingTimeMinutes: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Flesch–Kincaid grade (US school year)' })
  readingLevel: number | null;
  @ApiProperty() viewCount: number;
  @ApiProperty({ description: 'Approved comments' }) commentCount: number;
  @ApiProperty({ description: 'Whether readers may comment' }) commentsOpen: boolean;
  @ApiProperty({ type: PostAuthorDto }) author: PostAuthorDto;
  @ApiNullableObject('The category it is filed under; null for none', {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    slug: { type: 'string' },
  })
  category: PostCategoryDto | null;
  @ApiProperty({ type: PostTagDto, isArray: true, description: 'By name' }) tags: PostTagDto[];
  @ApiNullableObject('Its cover image (variants in `srcset`, size for layout); null for none', {
    id: { type: 'string', format: 'uuid' },
    url: { type: 'string' },
    srcset: { type: 'string' },
    width: { type: 'number' },
    height: { type: 'number' },
    altText: { type: 'string', nullable: true },
  })
  cover: PostCoverDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiPropertyOptional({ type: SearchMatchDto, description: 'Only in results of a search (`q`)' })
  match?: SearchMatchDto;
}

export class PostDto extends PostSummaryDto {
  @ApiProperty({ description: 'The Markdown as written' }) body: string;
  @ApiProperty({ description: 'Sanitized HTML rendered from the body' }) html: string;
  @ApiProperty({ description: 'Raised by every change' }) version: number;
}

/** Where a post lives now, answered with `301` for one of its old slugs. */
export class PostMovedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The current slug' }) slug: string;
}

export class ListPostsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    description:
      'Search: words, "a phrase", -excluded, `or` (title weighs most, then excerpt, then body); results come by relevance, in offset pages. When no post has the words, posts with a title like them (misspellings).',
    example: 'harbour tides',
  })
  @Optional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  @NotBlank()
  q?: string;

  @ApiPropertyOptional({ description: "A category's slug: its posts and those of the categories below it" })
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(80)
  category?: string;

  @ApiPropertyOptional({ description: "A tag's slug" })
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(80)
  tag?: string;

  @ApiPropertyOptional({ description: "Author's username" })
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(50)
  author?: string;

  @ApiPropertyOptional({ description: 'Only featured posts (true) or only the others (false)' })
  @Optional()
  @Transform(toBoolean)
  @IsBoolean()
  featured?: boolean;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 18,
    description: 'Highest reading level (Flesch–Kincaid grade) to include',
  })
  @Optional()
  @Transform(toDecimal)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(18)
  readingLevel?: number;

  @ApiPropertyOptional({
    default: '-publishedAt',
    description: `One of ${POST_SORT_FIELDS.join(', ')}; prefix - for descending`,
  })
  @Optional()
  @IsSort(POST_SORT_FIELDS)
  sort: string = '-publishedAt';
}

export class MyPostsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: POST_STATUSES })
  @Optional()
  @IsIn(POST_STATUSES)
  status?: PostStatus;

  @ApiPropertyOptional({
    default: '-updatedAt',
    description: `${MY_POST_SORT_FIELDS.join(', ')}; prefix - for descending`,
  })
  @Optional()
  @IsSort(MY_POST_SORT_FIELDS)
  sort: string = '-updatedAt';
}
