// Django's cache keys: `default_key_func` (django/core/cache/backends/base.py) joins the cache's
// KEY_PREFIX, the version and the key with colons, so `cache.set("user", …)` with the default settings
// is the Redis key `:1:user`. A custom KEY_FUNCTION is Python code we cannot run: not supported.

/** What Django's CACHES entry says about keys: `KEY_PREFIX` (default "") and `VERSION` (default 1). */
export interface CacheKeySettings {
  keyPrefix?: string | undefined;
  version?: number | undefined;
}

/** The Redis key Django's `cache.make_key(key, version)` makes with the default KEY_FUNCTION. */
export function djangoCacheKey(key: string, settings: CacheKeySettings = {}): string {
  const version = settings.version ?? 1;
  // Django formats the version with %s: any int works, including 0 and negatives.
  if (!Number.isSafeInteger(version)) throw new TypeError(`a Django cache version is an int, got ${version}`);
  return `${settings.keyPrefix ?? ""}:${version}:${key}`;
}
