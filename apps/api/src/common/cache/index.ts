export { CacheModule } from './cache.module';
export { type CacheLoadOptions, CacheService } from './cache.service';
