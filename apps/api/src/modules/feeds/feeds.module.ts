import { Module } from '@nestjs/common';
import { AuthorizationModule } from '../authorization/authorization.module';
import { PostsModule } from '../posts/posts.module';
import { SystemModule } from '../system/system.module';
import { FeedsController } from './feeds.controller';
import { FeedsService } from './feeds.service';

/** RSS, JSON Feed and the sitemap, at the site's root. */
@Module({
  imports: [AuthorizationModule, PostsModule, SystemModule],
  controllers: [FeedsController],
  providers: [FeedsService],
})
export class FeedsModule {}
