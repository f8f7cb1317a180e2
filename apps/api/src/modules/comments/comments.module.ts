import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthorizationModule } from '../authorization/authorization.module';
import { PostsModule } from '../posts/posts.module';
import { CommentsJobsModule } from './comment-mail.job';
import { CommentsController } from './comments.controller';
import { CommentsService } from './comments.service';

/** Comments: threads under posts, moderation, the post's comment count. */
@Module({
  imports: [AuthorizationModule, AuditModule, PostsModule, CommentsJobsModule],
  controllers: [CommentsController],
  providers: [CommentsService],
})
export class CommentsModule {}
