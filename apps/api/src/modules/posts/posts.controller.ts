import {
  applyDecorators,
  type ArgumentsHost,
  createParamDecorator,
  type ExecutionContext,
  Catch,
  Controller,
  Delete,
  type ExceptionFilter,
  Get,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Req,
  UseFilters,
} from '@nestjs/common';
import { Body, Query } from '../../common/http/validation';
import { ApiHeader, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiSuccessResponse } from '../../common/dto/envelope.dto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuthUser, CurrentUser, OptionalUser } from '../../common/auth';
import { ApiListResponse, type CursorPage } from '../../common/http/list';
import type { Paginated } from '../../common/http/pagination';
import { Route } from '../../common/http/route.decorator';
import type { SerializedPage } from '../../common/http/envelope';
import { HttpCache, SendsEtag } from '../../common/http-cache';
import { MessageDto } from '../identity/dto/auth.dto';
import {
  AccessibilityReportDto,
  CreatePostDto,
  ListPostsQueryDto,
  MyPostsQueryDto,
  PostDto,
  PostMovedDto,
  PostPreviewDto,
  PostRevisionDto,
  PostRevisionSummaryDto,
  PostSummaryDto,
  PreviewPostDto,
  SchedulePostDto,
  UpdatePostDto,
} from './dto/posts.dto';
import { PostMoved, postEtag, PostsService } from './posts.service';
import { viewerKey, ViewsService } from './views/views.service';

/** An old slug: `301` with the post's address in `Location`, and where it is in the envelope. */
@Catch(PostMoved)
class PostMovedFilter implements ExceptionFilter {
  catch(moved: PostMoved, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply
      .status(301)
      .header('Location', `/api/v1/posts/${moved.slug}`)
      .send({
        status: 'success',
        data: { id: moved.id, slug: moved.slug } satisfies PostMovedDto,
        meta: { requestId: request.id, timestamp: new Date().toISOString() },
      });
  }
}

/** The request's `If-Match` (documented by IfMatchHeader; a plain parameter would show as a second, required header). */
const IfMatch = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined =>
    context.switchToHttp().getRequest<FastifyRequest>().headers['if-match'],
);

/** Writes that answer with the post send its `ETag` too: the next edit's `If-Match`, without reading it again. */
const SendsPostEtag = (status: number): MethodDecorator =>
  applyDecorators(
    SendsEtag(postEtag),
    ApiResponse({
      status,
      headers: { ETag: { description: "The post's `ETag` now, for the next `If-Match`", schema: { type: 'string' } } },
    }),
  );

/** `If-Match` on the routes that overwrite a post (edit, restore): a stale tag answers 412. */
const IfMatchHeader = (): MethodDecorator =>
  ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      'The `ETag` the post had when you read it (`GET /posts/:id`; it covers all but the view and comment counts, which readers move). A post changed since answers 412 and nothing is written; without `If-Match` the last write wins.',
    schema: { type: 'string', maxLength: 200 },
  });

@ApiTags('Posts')
@Controller()
@UseFilters(PostMovedFilter)
export class PostsController {
  constructor(
    private readonly posts: PostsService,
    private readonly views: ViewsService,
  ) {}

  @Get('posts')
  @Route({
    summary: 'Published posts: public ones for everyone, members-only ones too for signed-in readers',
    access: 'public',
    identifies: true,
    scope: 'posts:read',
    errors: [400],
  })
  // Everyone signed out gets the same lists; signed-in readers' include members-only posts.
  @HttpCache({ maxAgeSeconds: 0, visibility: 'caller' })
  @ApiListResponse(PostSummaryDto)
  // A page of `PostSummaryDto`, kept serialized (docs/DECISIONS.md 103).
  list(@OptionalUser() viewer: AuthUser | null, @Query() query: ListPostsQueryDto): Promise<SerializedPage> {
    return this.posts.list(viewer, query);
  }

  @Get('posts/:id')
  @Route({
    summary: 'One post by id or slug (drafts only to those who may edit them)',
    description:
      'A members-only post answers 401 to anonymous callers. An old slug answers `301` with the current address in `Location`.',
    access: 'public',
    identifies: true,
    scope: 'posts:read',
    response: { type: PostDto },
    errors: [400, 404],
  })
  // An ETag for If-None-Match (304) and for If-Match on PATCH; drafts and members-only posts
  // depend on who asks, so responses to signed-in callers are private.
  @HttpCache({ maxAgeSeconds: 0, visibility: 'caller', etag: postEtag })
  @ApiParam({ name: 'id', description: 'The post id (uuid) or its slug', schema: { type: 'string', maxLength: 200 } })
  @ApiSuccessResponse(PostMovedDto, 301, 'An old slug: the post lives at `Location` now', {
    headers: { Location: { description: 'The post at its current slug' } },
  })
  async get(
    @OptionalUser() viewer: AuthUser | null,
    @Param('id') idOrSlug: string,
    @Req() request: FastifyRequest,
  ): Promise<PostDto> {
    const post = await this.posts.read(idOrSlug, viewer);
    // A reader's read counts, once per reader per half hour; not the author's own, nor a look at a draft.
    if (post.status === 'published' && post.author.id !== viewer?.id) {
      await this.views.record(post.id, viewerKey(viewer?.id ?? null, request.ip, request.headers['user-agent']));
    }
    return post;
  }

  @Post('posts')
  @SendsPostEtag(201)
  @Route({
    summary: 'Write a post (a draft until published)',
    access: { permissions: ['posts:create'] },
    verifiedEmail: true,
    response: { type: PostDto, status: 201 },
    errors: [400, 409],
  })
  create(@CurrentUser() user: AuthUser, @Body() body: CreatePostDto): Promise<PostDto> {
    return this.posts.create(user, body);
  }

  @Post('posts/preview')
  @Route({
    summary: "Render a body as saving it would, without saving (the editor's live preview)",
    description:
      "The HTML a save by the caller would store (their links, the media library's images with alt text and caption), reading time and level, and the accessibility report `publish` would check. Nothing is written. An unknown `media:` id answers 400 `UNKNOWN_MEDIA`, as a save does.",
    access: { permissions: ['posts:create'] },
    verifiedEmail: true,
    response: { type: PostPreviewDto },
    errors: [400],
  })
  async preview(@CurrentUser() user: AuthUser, @Body() body: PreviewPostDto): Promise<PostPreviewDto> {
    const { problems, ...rendered } = await this.posts.preview(user, body);
    return { ...rendered, accessibility: { ok: problems.length === 0, problems } };
  }

  @Patch('posts/:id')
  @SendsPostEtag(200)
  @Route({
    summary: 'Edit a post (your own as an author, any as an editor)',
    description:
      'Send the `ETag` of `GET /posts/:id` as `If-Match`: if the post changed since, the answer is 412 `PRECONDITION_FAILED` and nothing is written. **Without `If-Match`, the last write wins.**',
    access: { permissions: ['posts:update'] },
    response: { type: PostDto },
    errors: [400, 404, 409, 412],
  })
  @IfMatchHeader()
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdatePostDto,
    @IfMatch() ifMatch?: string,
  ): Promise<PostDto> {
    return this.posts.update(user, id, body, ifMatch);
  }

  @Delete('posts/:id')
  @Route({
    summary: 'Delete a post (your own as an author, any as an editor)',
    access: { permissions: ['posts:delete'] },
    response: { type: MessageDto },
    errors: [400, 404],
  })
  async remove(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<MessageDto> {
    await this.posts.remove(user, id);
    return { message: 'Post deleted' };
  }

  @Post('posts/:id/publish')
  @SendsPostEtag(200)
  @Route({
    summary: 'Publish a post now (its first publication dates it)',
    description:
      'Refused with 422 `ACCESSIBILITY_PROBLEMS` while the post has any (see `GET /posts/:id/accessibility`).',
    access: { permissions: ['posts:publish'] },
    response: { type: PostDto },
    errors: [400, 404, 422],
  })
  publish(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<PostDto> {
    return this.posts.transition(user, id, 'published');
  }

  @Get('posts/:id/revisions')
  @Route({
    summary: "A post's revisions, newest first (each save of its title or body; POST_REVISIONS_MAX kept)",
    access: { permissions: ['posts:update'] },
    response: { type: PostRevisionSummaryDto, array: true },
    errors: [400, 404],
  })
  revisions(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<PostRevisionSummaryDto[]> {
    return this.posts.revisions(user, id);
  }

  @Get('posts/:id/revisions/:revisionId')
  @Route({
    summary: 'One revision, with a line diff from it to the current body',
    access: { permissions: ['posts:update'] },
    response: { type: PostRevisionDto },
    errors: [400, 404],
  })
  revision(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('revisionId', new ParseUUIDPipe()) revisionId: string,
  ): Promise<PostRevisionDto> {
    return this.posts.revision(user, id, revisionId);
  }

  @Post('posts/:id/revisions/:revisionId/restore')
  @SendsPostEtag(200)
  @Route({
    summary: "Bring a revision's title and body back (a new save; If-Match as for edits)",
    access: { permissions: ['posts:update'] },
    response: { type: PostDto },
    errors: [400, 404, 409, 412],
  })
  @IfMatchHeader()
  restore(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('revisionId', new ParseUUIDPipe()) revisionId: string,
    @IfMatch() ifMatch?: string,
  ): Promise<PostDto> {
    return this.posts.restore(user, id, revisionId, ifMatch);
  }

  @Get('posts/:id/accessibility')
  @Route({
    summary: 'What keeps a post from being published: images without alt text, skipped heading levels, vague link text',
    access: { permissions: ['posts:update'] },
    response: { type: AccessibilityReportDto },
    errors: [400, 404],
  })
  async accessibility(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<AccessibilityReportDto> {
    const problems = await this.posts.accessibility(user, id);
    return { ok: problems.length === 0, problems };
  }

  @Post('posts/:id/schedule')
  @SendsPostEtag(200)
  @Route({
    summary: 'Schedule a draft to go live at a time (or move its time)',
    description:
      'A delayed job publishes it at `at` (within seconds, across restarts). Scheduling again replaces the time; unpublishing cancels it.',
    access: { permissions: ['posts:publish'] },
    response: { type: PostDto },
    errors: [400, 404, 409, 422],
  })
  schedule(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: SchedulePostDto,
  ): Promise<PostDto> {
    return this.posts.schedule(user, id, new Date(body.at));
  }

  @Post('posts/:id/unpublish')
  @SendsPostEtag(200)
  @Route({
    summary: 'Take a post back to draft',
    access: { permissions: ['posts:publish'] },
    response: { type: PostDto },
    errors: [400, 404],
  })
  unpublish(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<PostDto> {
    return this.posts.transition(user, id, 'draft');
  }

  @Post('posts/:id/archive')
  @SendsPostEtag(200)
  @Route({
    summary: 'Archive a published post: out of the lists, readable by those who may edit it',
    access: { permissions: ['posts:publish'] },
    response: { type: PostDto },
    errors: [400, 404, 409],
  })
  archive(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<PostDto> {
    return this.posts.transition(user, id, 'archived');
  }

  @Get('me/posts')
  @Route({
    summary: 'Your own posts, any status (drafts, scheduled, published, archived)',
    access: 'signed-in',
    scope: 'posts:read',
    errors: [400],
  })
  @ApiListResponse(PostSummaryDto)
  mine(
    @CurrentUser() user: AuthUser,
    @Query() query: MyPostsQueryDto,
  ): Promise<Paginated<PostSummaryDto> | CursorPage<PostSummaryDto>> {
    return this.posts.mine(user, query);
  }
}
