export { CacheModule } from './cache.module';
export { type CacheCodec, type CacheLoadOptions, CacheService } from './cache.service';
export { decodedOnce } from './decoded-once.codec';
export { type TextPage, textPageCodec } from './text-page.codec';
export {
  FEEDS_CACHE,
  PUBLIC_CONTENT_TTL_SECONDS,
  PUBLIC_POSTS_CACHE,
  PublicContentCache,
} from './public-content.cache';
