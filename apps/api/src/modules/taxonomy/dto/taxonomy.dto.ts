import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { Optional } from '../../../common/http/optional';
import { PaginationQueryDto } from '../../../common/http/pagination';
import { NotBlank, trim } from '../../../common/http/transforms';
import { TAG_SORTS, type TagSort } from '../taxonomy.repository';

export const CATEGORY_NAME_MAX = 80;
export const TAG_NAME_MAX = 50;
export const TAXONOMY_SLUG_MAX = 80;
export const CATEGORY_DESCRIPTION_MAX = 500;
/** Lower-case letters and digits in dash-separated words. */
const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const COLOR_PATTERN = /^#[0-9a-f]{6}$/i;

const NameField = (max: number, example: string, { required = true } = {}): PropertyDecorator =>
  applyDecorators(
    (required ? ApiProperty : ApiPropertyOptional)({ minLength: 1, maxLength: max, example }),
    ...(required ? [] : [Optional()]),
    Transform(trim),
    IsString(),
    Length(1, max),
    NotBlank(),
  );

const SlugField = (example: string): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      maxLength: TAXONOMY_SLUG_MAX,
      description: 'Lower-case letters and digits in dash-separated words; made from the name when absent',
      example,
    }),
    Optional(),
    IsString(),
    MaxLength(TAXONOMY_SLUG_MAX),
    Matches(SLUG_PATTERN, { message: 'slug takes lower-case letters and digits in dash-separated words' }),
  );

// ---------------------------------------------------------------------------------------------
// Categories

class CategoryFieldsDto {
  @ApiPropertyOptional({ maxLength: CATEGORY_DESCRIPTION_MAX, example: 'Tides, harbours and the people of the coast' })
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(CATEGORY_DESCRIPTION_MAX)
  description?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The category it sits under; null or absent for a top-level one',
  })
  @Optional({ nullable: true })
  @IsUUID('all', { message: 'parentId must be a category id' })
  parentId?: string | null;

  @ApiPropertyOptional({ minimum: -10_000, maximum: 10_000, description: 'Order among its siblings, lowest first' })
  @Optional()
  @IsInt()
  @Min(-10_000)
  @Max(10_000)
  sortOrder?: number;
}

export class CreateCategoryDto extends CategoryFieldsDto {
  @NameField(CATEGORY_NAME_MAX, 'Coast')
  name: string;

  @SlugField('coast')
  slug?: string;
}

export class UpdateCategoryDto extends CategoryFieldsDto {
  @NameField(CATEGORY_NAME_MAX, 'Coast and sea', { required: false })
  name?: string;

  @SlugField('coast-and-sea')
  slug?: string;
}

export class DeleteCategoryQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Where its posts and child categories go; needed when it has any',
  })
  @Optional()
  @IsUUID('all', { message: 'moveTo must be a category id' })
  moveTo?: string;
}

export class CategoryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) parentId: string | null;
  @ApiProperty() sortOrder: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class CategoryNodeDto extends CategoryDto {
  @ApiProperty({ description: 'Published posts filed under it or any category below it' })
  postCount: number;

  @ApiProperty({ type: () => [CategoryNodeDto], description: 'The categories directly under it, in order' })
  children: CategoryNodeDto[];
}

// ---------------------------------------------------------------------------------------------
// Tags

class TagFieldsDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    pattern: COLOR_PATTERN.source,
    description: '`#rrggbb`; null for the default',
    example: '#1c7ed6',
  })
  @Optional({ nullable: true })
  @IsString()
  @Matches(COLOR_PATTERN, { message: 'color is #rrggbb' })
  color?: string | null;
}

export class CreateTagDto extends TagFieldsDto {
  @NameField(TAG_NAME_MAX, 'Lighthouses')
  name: string;

  @SlugField('lighthouses')
  slug?: string;
}

export class UpdateTagDto extends TagFieldsDto {
  @NameField(TAG_NAME_MAX, 'Lighthouses', { required: false })
  name?: string;

  @SlugField('lighthouses')
  slug?: string;
}

export class MergeTagDto {
  @ApiProperty({ format: 'uuid', description: 'The tag that takes over the posts of this one' })
  @IsUUID('all', { message: 'intoId must be a tag id' })
  intoId: string;
}

export class ListTagsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: TAG_SORTS, default: 'popular', description: '`popular`: most used first' })
  @Optional()
  @IsIn(TAG_SORTS)
  sort: TagSort = 'popular';

  @ApiPropertyOptional({ maxLength: TAG_NAME_MAX, description: 'Tags whose name or slug starts with this' })
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(TAG_NAME_MAX)
  q?: string;
}

export class TagDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;
  @ApiProperty({ type: String, nullable: true }) color: string | null;
  @ApiProperty({ description: 'Posts carrying it (any status, not deleted)' }) usageCount: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}
