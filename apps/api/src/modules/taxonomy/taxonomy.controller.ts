import { Controller, Delete, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { Body, Query } from '../../common/http/validation';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiPaginatedResponse, type Paginated } from '../../common/http/pagination';
import { Route } from '../../common/http/route.decorator';
import { MessageDto } from '../identity/dto/auth.dto';
import { CategoriesService } from './categories.service';
import {
  CategoryDto,
  CategoryNodeDto,
  CreateCategoryDto,
  CreateTagDto,
  DeleteCategoryQueryDto,
  ListTagsQueryDto,
  MergeTagDto,
  TagDto,
  UpdateCategoryDto,
  UpdateTagDto,
} from './dto/taxonomy.dto';
import { TagsService } from './tags.service';

@ApiTags('Categories')
@Controller('categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  @Get()
  @Route({
    summary: 'Every category as a tree, siblings in order, with the published posts filed under each (and below it)',
    access: 'public',
    response: { type: CategoryNodeDto, array: true },
  })
  tree(): Promise<CategoryNodeDto[]> {
    return this.categories.tree();
  }

  @Post()
  @Route({
    summary: 'Make a category (top-level, or under `parentId`)',
    access: { permissions: ['categories:create'] },
    response: { type: CategoryDto, status: 201 },
    errors: [400, 409],
  })
  create(@Body() body: CreateCategoryDto): Promise<CategoryDto> {
    return this.categories.create(body);
  }

  @Patch(':id')
  @Route({
    summary: 'Rename, reorder or move a category (never under itself or a category below it: 409 `CYCLE`)',
    access: { permissions: ['categories:update'] },
    response: { type: CategoryDto },
    errors: [400, 404, 409],
  })
  update(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateCategoryDto): Promise<CategoryDto> {
    return this.categories.update(id, body);
  }

  @Delete(':id')
  @Route({
    summary: 'Delete a category',
    description:
      'One that holds posts or categories answers 409 `IN_USE` unless `moveTo` names the category they go to (not one inside it).',
    access: { permissions: ['categories:delete'] },
    response: { type: MessageDto },
    errors: [400, 404, 409],
  })
  async remove(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: DeleteCategoryQueryDto,
  ): Promise<MessageDto> {
    await this.categories.remove(id, query.moveTo);
    return { message: 'Category deleted' };
  }
}

@ApiTags('Tags')
@Controller('tags')
export class TagsController {
  constructor(private readonly tags: TagsService) {}

  @Get()
  @ApiPaginatedResponse(TagDto)
  @Route({
    summary: 'Tags, most used first (`sort=popular`) or by name; `q` finds them by the start of their name',
    access: 'public',
    errors: [400],
  })
  list(@Query() query: ListTagsQueryDto): Promise<Paginated<TagDto>> {
    return this.tags.list(query);
  }

  @Get(':id')
  @Route({
    summary: 'One tag by its slug or id',
    description:
      'The tag page of a site reads its tag by the slug in its address. Tags keep no old slugs: a changed or merged slug answers 404.',
    access: 'public',
    response: { type: TagDto },
    errors: [404],
  })
  // One path template with PATCH and DELETE `/tags/{id}`, as `GET /posts/{id}` takes an id or a slug.
  @ApiParam({
    name: 'id',
    description: "The tag's slug (`coast`) or id (uuid)",
    schema: { type: 'string', maxLength: 80 },
  })
  get(@Param('id') idOrSlug: string): Promise<TagDto> {
    return this.tags.find(idOrSlug);
  }

  @Post()
  @Route({
    summary: 'Make a tag',
    access: { permissions: ['tags:create'] },
    response: { type: TagDto, status: 201 },
    errors: [400, 409],
  })
  create(@Body() body: CreateTagDto): Promise<TagDto> {
    return this.tags.create(body);
  }

  @Patch(':id')
  @Route({
    summary: 'Rename a tag, or change its slug or colour (its posts keep it)',
    access: { permissions: ['tags:update'] },
    response: { type: TagDto },
    errors: [400, 404, 409],
  })
  update(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateTagDto): Promise<TagDto> {
    return this.tags.update(id, body);
  }

  @Post(':id/merge')
  @Route({
    summary: 'Merge this tag into another: its posts get the other (once), and this one is deleted',
    access: { permissions: ['tags:delete'] },
    response: { type: TagDto },
    errors: [400, 404, 409],
  })
  merge(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: MergeTagDto): Promise<TagDto> {
    return this.tags.merge(id, body.intoId);
  }

  @Delete(':id')
  @Route({
    summary: 'Delete a tag (it comes off every post that had it)',
    access: { permissions: ['tags:delete'] },
    response: { type: MessageDto },
    errors: [400, 404],
  })
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<MessageDto> {
    await this.tags.remove(id);
    return { message: 'Tag deleted' };
  }
}
