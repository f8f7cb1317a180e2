export { HttpCache } from './http-cache.decorator';
export {
  cacheControlOf,
  HttpCacheInterceptor,
  type HttpCacheOptions,
  type HttpCacheVisibility,
} from './http-cache.interceptor';
