import { Controller, Delete, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { Body, Query } from '../../common/http/validation';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, OptionalUser } from '../../common/auth';
import { ApiListResponse, type CursorPage } from '../../common/http/list';
import { ApiPaginatedResponse, type Paginated } from '../../common/http/pagination';
import type { SerializedPage } from '../../common/http/envelope';
import { Route } from '../../common/http/route.decorator';
import { MessageDto } from '../identity/dto/auth.dto';
import { CommentsService } from './comments.service';
import {
  CommentDto,
  CommentInQueueDto,
  CommentNodeDto,
  CreateCommentDto,
  ModerateCommentsDto,
  ModerationQueueQueryDto,
  ModerationResultDto,
  ThreadQueryDto,
  UpdateCommentDto,
} from './dto/comments.dto';

@ApiTags('Comments')
@Controller()
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Get('posts/:id/comments')
  @Route({
    summary: "A post's comment threads, oldest first, replies nested (cursor pages of top-level threads)",
    description:
      'Approved comments for everyone; your own pending or rejected ones too; everything for moderators. A deleted comment with replies stays as `deleted: true`. The post must be one you may read (a members-only post is 401 to anonymous callers).',
    access: 'public',
    identifies: true,
    scope: 'comments:read',
    errors: [400, 404],
  })
  @ApiParam({ name: 'id', description: 'The post id (uuid) or its slug', schema: { type: 'string', maxLength: 200 } })
  @ApiListResponse(CommentNodeDto)
  // A page for signed-out readers comes from the public cache as JSON text (docs/DECISIONS.md 105).
  threads(
    @OptionalUser() viewer: AuthUser | null,
    @Param('id') id: string,
    @Query() query: ThreadQueryDto,
  ): Promise<CursorPage<CommentNodeDto> | SerializedPage> {
    return this.comments.threads(id, viewer, query);
  }

  @Post('posts/:id/comments')
  @Route({
    summary: 'Comment on a published post, or reply to a comment (`parentId`)',
    description:
      'Held for moderation (`status: pending`) as COMMENT_MODERATION says: `first` (the default) holds a member’s comments until one is approved. 409 `COMMENTS_CLOSED` when the post takes no comments, `TOO_DEEP` past five levels.',
    access: { permissions: ['comments:create'] },
    verifiedEmail: true,
    response: { type: CommentDto, status: 201 },
    errors: [400, 404, 409],
  })
  create(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CreateCommentDto,
  ): Promise<CommentDto> {
    return this.comments.create(user, id, body);
  }

  @Patch('comments/:id')
  @Route({
    summary: 'Edit your comment within COMMENT_EDIT_WINDOW_MINUTES of writing it (moderators: any, any time)',
    access: { permissions: ['comments:update'] },
    response: { type: CommentDto },
    errors: [400, 404, 409],
  })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateCommentDto,
  ): Promise<CommentDto> {
    return this.comments.update(user, id, body.body);
  }

  @Delete('comments/:id')
  @Route({
    summary: 'Delete your comment (moderators: any); its replies stay',
    access: { permissions: ['comments:delete'] },
    response: { type: MessageDto },
    errors: [400, 404],
  })
  async remove(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<MessageDto> {
    await this.comments.remove(user, id);
    return { message: 'Comment deleted' };
  }

  @Get('comments')
  @ApiPaginatedResponse(CommentInQueueDto)
  @Route({
    summary: 'The moderation queue: comments in a status (pending by default), oldest first',
    access: { permissions: ['comments:moderate'] },
    errors: [400],
  })
  queue(@Query() query: ModerationQueueQueryDto): Promise<Paginated<CommentInQueueDto>> {
    return this.comments.queue(query);
  }

  @Post('comments/moderate')
  @Route({
    summary: 'Approve, reject or delete up to 100 comments at once',
    access: { permissions: ['comments:moderate'] },
    response: { type: ModerationResultDto },
    errors: [400],
  })
  moderateMany(@Body() body: ModerateCommentsDto): Promise<ModerationResultDto> {
    return this.comments.moderateMany(body);
  }

  @Post('comments/:id/approve')
  @Route({
    summary: 'Approve a comment: readers see it, and its author gets a mail',
    access: { permissions: ['comments:moderate'] },
    response: { type: CommentDto },
    errors: [400, 404],
  })
  approve(@Param('id', new ParseUUIDPipe()) id: string): Promise<CommentDto> {
    return this.comments.moderate(id, 'approve');
  }

  @Post('comments/:id/reject')
  @Route({
    summary: 'Reject a comment: only its author and moderators see it',
    access: { permissions: ['comments:moderate'] },
    response: { type: CommentDto },
    errors: [400, 404],
  })
  reject(@Param('id', new ParseUUIDPipe()) id: string): Promise<CommentDto> {
    return this.comments.moderate(id, 'reject');
  }
}
