export { HttpCache, SendsEtag } from './http-cache.decorator';
export {
  cacheControlOf,
  httpCacheMarker,
  type HttpCacheOptions,
  type HttpCacheVisibility,
  registerHttpCache,
} from './http-cache.hooks';
