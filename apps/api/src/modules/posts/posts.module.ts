import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthorizationModule } from '../authorization/authorization.module';
import { PostsController } from './posts.controller';
import { PostsRepository } from './posts.repository';
import { PostsService } from './posts.service';

/**
 * Posts: Markdown rendered to sanitized HTML when saved, slugs that keep answering after a
 * change, drafts and publication, ownership through the roles' conditions (the reference module
 * of docs/ARCHITECTURE.md, "Recipe").
 */
@Module({
  imports: [AuthorizationModule, AuditModule],
  controllers: [PostsController],
  providers: [PostsRepository, PostsService],
  exports: [PostsService],
})
export class PostsModule {}
