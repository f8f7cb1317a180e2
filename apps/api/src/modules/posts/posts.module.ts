import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthorizationModule } from '../authorization/authorization.module';
import { PostsController } from './posts.controller';
import { MediaModule } from '../media/media.module';
import { PostsMediaListener } from './posts.listeners';
import { PostsService } from './posts.service';
import { PostsJobsModule } from './publish-scheduled.job';
import { TaxonomyModule } from '../taxonomy/taxonomy.module';

/**
 * Posts: Markdown rendered to sanitized HTML when saved, slugs that keep answering after a
 * change, drafts and publication, ownership through the roles' conditions (the reference module
 * of docs/ARCHITECTURE.md, "Recipe").
 */
@Module({
  imports: [AuthorizationModule, AuditModule, PostsJobsModule, TaxonomyModule, MediaModule],
  controllers: [PostsController],
  providers: [PostsService, PostsMediaListener],
  exports: [PostsService],
})
export class PostsModule {}
