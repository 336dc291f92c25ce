// Django's built-in Redis cache (django.core.cache.backends.redis.RedisCache, Django 4+) from Node:
// the same keys, value bytes and expiry commands as its RedisCacheClient, so either side reads what
// the other wrote. Values are read through a codec, or as the value model with the strict allowlist.
import type { PyValue } from "../../model/value.ts";
import type { Codec } from "../../typed/codec.ts";
import type { TypedLoadOptions } from "../../typed/io.ts";
import type { ReadOptions } from "../../reader/unpickler.ts";
import type { RedisArgument, RedisCommands, RedisReply } from "../redis/redis-client.ts";
import { type CacheKeySettings, djangoCacheKey } from "./cache-key.ts";
import { type CacheWriteOptions, cacheValueBytes, readCacheValue, readTypedCacheValue, typedCacheValueBytes } from "./cache-value.ts";

/** Django's default TIMEOUT for a CACHES entry: 300 seconds. */
export const DJANGO_DEFAULT_TIMEOUT = 300;

/** A timeout as Django takes it: seconds (0 or less deletes the value), or null for no expiry. */
export type CacheTimeout = number | null;

/** The CACHES entry's settings that shape what is stored: KEY_PREFIX, VERSION, TIMEOUT. */
export interface DjangoCacheOptions extends CacheKeySettings {
  /** TIMEOUT: the timeout of a `set` that names none; default 300, null for none. */
  timeout?: CacheTimeout | undefined;
}

export interface KeyOptions {
  /** The version for this call (Django's `version=`); default the cache's VERSION. */
  version?: number | undefined;
}

export type TypedReadOptions<T> = KeyOptions & TypedLoadOptions & { codec: Codec<T> };
export type ValueReadOptions = KeyOptions & Omit<ReadOptions, "mode"> & { codec?: undefined };

export type TypedWriteOptions<T> = KeyOptions & CacheWriteOptions & { codec: Codec<T>; timeout?: CacheTimeout | undefined };
export type ValueWriteOptions = KeyOptions & CacheWriteOptions & { codec?: undefined; timeout?: CacheTimeout | undefined };

/** `incr`/`decr` of a key that is not there: Django raises ValueError("Key '…' not found."). */
export class DjangoCacheMissError extends Error {
  override name = "DjangoCacheMissError";
  constructor(readonly key: string) {
    super(`Key '${key}' not found.`);
  }
}

/** A Django RedisCache, reached through `redis`. */
export class DjangoCache {
  readonly keyPrefix: string;
  readonly version: number;
  readonly timeout: CacheTimeout;

  constructor(
    readonly redis: RedisCommands,
    options: DjangoCacheOptions = {},
  ) {
    this.keyPrefix = options.keyPrefix ?? "";
    this.version = options.version ?? 1;
    this.timeout = options.timeout === undefined ? DJANGO_DEFAULT_TIMEOUT : options.timeout;
    djangoCacheKey("", this); // refuses a version that is not an int, now rather than at the first call
  }

  /** The Redis key of `key` (Django's `cache.make_key(key, version)`). */
  makeKey(key: string, version = this.version): string {
    return djangoCacheKey(key, { keyPrefix: this.keyPrefix, version });
  }

  /** The value, or undefined when the key is absent or expired (a stored None is null). */
  get<T>(key: string, options: TypedReadOptions<T>): Promise<T | undefined>;
  get(key: string, options?: ValueReadOptions): Promise<PyValue | undefined>;
  async get<T>(key: string, options: TypedReadOptions<T> | ValueReadOptions = {}): Promise<T | PyValue | undefined> {
    const reply = await this.redis.send(["GET", this.makeKey(key, options.version)]);
    return reply === null ? undefined : this.decode(bytesOf(reply), options);
  }

  /** The values of the keys that are present (Django's `get_many`, one MGET). */
  getMany<T>(keys: readonly string[], options: TypedReadOptions<T>): Promise<Map<string, T>>;
  getMany(keys: readonly string[], options?: ValueReadOptions): Promise<Map<string, PyValue>>;
  async getMany<T>(keys: readonly string[], options: TypedReadOptions<T> | ValueReadOptions = {}): Promise<Map<string, T | PyValue>> {
    const found = new Map<string, T | PyValue>();
    if (keys.length === 0) return found;
    const reply = await this.redis.send(["MGET", ...keys.map((k) => this.makeKey(k, options.version))]);
    if (!Array.isArray(reply) || reply.length !== keys.length) throw new TypeError("expected an MGET array reply");
    reply.forEach((value, i) => {
      if (value !== null) found.set(keys[i]!, this.decode(bytesOf(value), options));
    });
    return found;
  }

  /** Stores a value as Django's `cache.set` does: SET with EX, plain SET for no timeout, DEL for 0 or less. */
  set<T>(key: string, value: T, options: TypedWriteOptions<T>): Promise<void>;
  set(key: string, value: PyValue, options?: ValueWriteOptions): Promise<void>;
  async set<T>(key: string, value: T | PyValue, options: TypedWriteOptions<T> | ValueWriteOptions = {}): Promise<void> {
    const redisKey = this.makeKey(key, options.version);
    const timeout = this.backendTimeout(options.timeout);
    if (timeout === 0) await this.redis.send(["DEL", redisKey]);
    else await this.redis.send(withExpiry(["SET", redisKey, this.encode(value, options)], timeout));
  }

  /** Stores a value only if the key is absent (Django's `cache.add`, SET NX); true if it was stored. */
  add<T>(key: string, value: T, options: TypedWriteOptions<T>): Promise<boolean>;
  add(key: string, value: PyValue, options?: ValueWriteOptions): Promise<boolean>;
  async add<T>(key: string, value: T | PyValue, options: TypedWriteOptions<T> | ValueWriteOptions = {}): Promise<boolean> {
    const redisKey = this.makeKey(key, options.version);
    const timeout = this.backendTimeout(options.timeout);
    const bytes = this.encode(value, options);
    // Django with timeout 0: "would it have been added?", then the value is removed again.
    const stored = (await this.redis.send(withExpiry(["SET", redisKey, bytes, "NX"], timeout === 0 ? null : timeout))) !== null;
    if (stored && timeout === 0) await this.redis.send(["DEL", redisKey]);
    return stored;
  }

  /**
   * Stores several values (Django's `set_many`). Django sends MSET and one EXPIRE per key in a
   * MULTI; here each key gets its own SET (with EX), which ends in the same state but is not one
   * transaction: a MULTI on a connection other callers share could take in their commands.
   */
  setMany<T>(entries: Iterable<readonly [string, T]>, options: TypedWriteOptions<T>): Promise<void>;
  setMany(entries: Iterable<readonly [string, PyValue]>, options?: ValueWriteOptions): Promise<void>;
  async setMany<T>(entries: Iterable<readonly [string, T | PyValue]>, options: TypedWriteOptions<T> | ValueWriteOptions = {}): Promise<void> {
    await Promise.all(Array.from(entries, ([key, value]) => this.set(key, value as PyValue, options as ValueWriteOptions)));
  }

  /** Removes a key; true if it was there. */
  async delete(key: string, options: KeyOptions = {}): Promise<boolean> {
    return (await this.redis.send(["DEL", this.makeKey(key, options.version)])) === 1;
  }

  /** Removes several keys (Django's `delete_many`). */
  async deleteMany(keys: readonly string[], options: KeyOptions = {}): Promise<void> {
    if (keys.length > 0) await this.redis.send(["DEL", ...keys.map((k) => this.makeKey(k, options.version))]);
  }

  /** Whether the key is present (Django's `has_key`). */
  async hasKey(key: string, options: KeyOptions = {}): Promise<boolean> {
    return (await this.redis.send(["EXISTS", this.makeKey(key, options.version)])) === 1;
  }

  /**
   * Adds `delta` to an int value and returns the new value (Django's `incr`: EXISTS, then INCRBY).
   * A missing key is a DjangoCacheMissError; a value that is not an int is Redis's error reply.
   */
  async incr(key: string, delta = 1, options: KeyOptions = {}): Promise<number> {
    const redisKey = this.makeKey(key, options.version);
    if ((await this.redis.send(["EXISTS", redisKey])) !== 1) throw new DjangoCacheMissError(redisKey);
    const reply = await this.redis.send(["INCRBY", redisKey, String(delta)]);
    if (typeof reply !== "number") throw new TypeError("expected an INCRBY integer reply");
    return reply;
  }

  /** Subtracts `delta` (Django's `decr`, which is `incr` of `-delta`). */
  decr(key: string, delta = 1, options: KeyOptions = {}): Promise<number> {
    return this.incr(key, -delta, options);
  }

  /** Sets a new timeout on a key (Django's `touch`: EXPIRE, or PERSIST for null); true if the key is there. */
  async touch(key: string, options: KeyOptions & { timeout?: CacheTimeout | undefined } = {}): Promise<boolean> {
    const redisKey = this.makeKey(key, options.version);
    const timeout = this.backendTimeout(options.timeout);
    return (await this.redis.send(timeout === null ? ["PERSIST", redisKey] : ["EXPIRE", redisKey, String(timeout)])) === 1;
  }

  /** Django's `get_backend_timeout`: the default for undefined, null kept, else max(0, int(timeout)). */
  private backendTimeout(timeout: CacheTimeout | undefined): number | null {
    const given = timeout === undefined ? this.timeout : timeout;
    if (given === null) return null;
    if (!Number.isFinite(given)) throw new TypeError(`a Django cache timeout is a number of seconds or null, got ${given}`);
    return Math.max(0, Math.trunc(given));
  }

  private decode<T>(bytes: Uint8Array, options: TypedReadOptions<T> | ValueReadOptions): T | PyValue {
    const { codec, version: _version, ...load } = options;
    return codec ? readTypedCacheValue(codec, bytes, load) : readCacheValue(bytes, load);
  }

  private encode<T>(value: T | PyValue, options: TypedWriteOptions<T> | ValueWriteOptions): Uint8Array {
    const { codec, version: _version, timeout: _timeout, ...write } = options;
    return codec ? typedCacheValueBytes(codec, value as T, write) : cacheValueBytes(value as PyValue, write);
  }
}

/** A Django RedisCache client: `djangoCache(fromIoredis(redis), { keyPrefix: "myapp" })`. */
export function djangoCache(redis: RedisCommands, options: DjangoCacheOptions = {}): DjangoCache {
  return new DjangoCache(redis, options);
}

function withExpiry(command: RedisArgument[], timeout: number | null): RedisArgument[] {
  return timeout === null ? command : [...command, "EX", String(timeout)];
}

function bytesOf(reply: RedisReply): Uint8Array {
  if (!(reply instanceof Uint8Array)) throw new TypeError("expected a Redis string reply for a cache value");
  return reply;
}
