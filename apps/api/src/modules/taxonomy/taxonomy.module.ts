import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CategoriesService } from './categories.service';
import { CategoriesController, TagsController } from './taxonomy.controller';
import { TagsService } from './tags.service';
import { TaxonomyRepository } from './taxonomy.repository';

/** Categories (a tree) and tags: what posts are filed under and labelled with. */
@Module({
  imports: [AuditModule],
  controllers: [CategoriesController, TagsController],
  providers: [TaxonomyRepository, CategoriesService, TagsService],
  exports: [TaxonomyRepository],
})
export class TaxonomyModule {}
