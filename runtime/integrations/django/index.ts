// typed-pickle/django: Django's Redis cache (django.core.cache.backends.redis.RedisCache) and the
// cache session engines, read and written from Node through typed-pickle/redis.
export { djangoCacheKey, type CacheKeySettings } from "./cache-key.ts";
export { DJANGO_PICKLE_PROTOCOL, pythonIntOf, readCacheValue, readTypedCacheValue, cacheValueBytes, typedCacheValueBytes, type CacheWriteOptions } from "./cache-value.ts";
export {
  DjangoCache,
  djangoCache,
  DjangoCacheMissError,
  DJANGO_DEFAULT_TIMEOUT,
  type CacheTimeout,
  type DjangoCacheOptions,
  type KeyOptions,
  type TypedReadOptions,
  type ValueReadOptions,
  type TypedWriteOptions,
  type ValueWriteOptions,
} from "./cache.ts";
export {
  DjangoSessions,
  djangoSessions,
  loginOf,
  SESSION_KEY_PREFIXES,
  DJANGO_SESSION_COOKIE_AGE,
  type DjangoLogin,
  type DjangoSession,
  type DjangoSessionsOptions,
  type SessionReadOptions,
  type SessionWriteOptions,
} from "./session.ts";
export { sessionAuthHash, verifySessionAuthHash } from "./auth-hash.ts";
