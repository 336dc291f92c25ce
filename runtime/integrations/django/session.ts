// Sessions of Django's cache session engines, read from and written to the Redis cache. The engine
// stores the session dict itself as the cache value (not SessionBase.encode's signed JSON), so with
// RedisCache it is a pickle at protocol 5 under the key `<cache key of "django.contrib.sessions.cache" + session key>`.
// `cached_db` uses the prefix "django.contrib.sessions.cached_db" and the database besides: only its
// cached copy is read here.
import { UnpicklingError } from "../../errors.ts";
import type { PyValue } from "../../model/value.ts";
import { typeName } from "../../reader/dict-keys.ts";
import * as T from "../../typed/codec.ts";
import type { TypedLoadOptions } from "../../typed/io.ts";
import type { CacheWriteOptions } from "./cache-value.ts";
import type { CacheTimeout, DjangoCache } from "./cache.ts";

/** The cache-key prefixes of the two engines that keep sessions in the cache. */
export const SESSION_KEY_PREFIXES = {
  cache: "django.contrib.sessions.cache",
  cached_db: "django.contrib.sessions.cached_db",
} as const;

/** SESSION_COOKIE_AGE's default (two weeks): what Django gives a session's cache entry. */
export const DJANGO_SESSION_COOKIE_AGE = 1_209_600;

/** A session as read without a codec: the dict, str keys, values in the value model (ints are bigint). */
export type DjangoSession = Record<string, PyValue>;

const SESSION = T.record(T.any);

export interface DjangoSessionsOptions {
  /** SESSION_ENGINE: "cache" (django.contrib.sessions.backends.cache, default) or "cached_db". */
  engine?: keyof typeof SESSION_KEY_PREFIXES | undefined;
  /** SESSION_COOKIE_AGE: the timeout a written session gets; default two weeks. */
  cookieAge?: number | undefined;
}

export type SessionReadOptions<T> = TypedLoadOptions & { codec?: T.Codec<T> | undefined };
export type SessionWriteOptions<T> = CacheWriteOptions & { codec?: T.Codec<T> | undefined; timeout?: CacheTimeout | undefined };

/** The sessions kept in `cache` (the cache named by SESSION_CACHE_ALIAS, with its KEY_PREFIX and VERSION). */
export class DjangoSessions {
  readonly prefix: string;
  readonly cookieAge: number;

  constructor(
    readonly cache: DjangoCache,
    options: DjangoSessionsOptions = {},
  ) {
    const engine = options.engine ?? "cache";
    if (!Object.hasOwn(SESSION_KEY_PREFIXES, engine)) throw new TypeError(`unknown Django session engine ${String(engine)}: "cache" or "cached_db"`);
    this.prefix = SESSION_KEY_PREFIXES[engine];
    this.cookieAge = options.cookieAge ?? DJANGO_SESSION_COOKIE_AGE;
  }

  /** The Redis key of a session. */
  redisKey(sessionKey: string): string {
    return this.cache.makeKey(this.prefix + sessionKey);
  }

  /**
   * The session dict, or null when there is none (unknown, expired, or a key Django itself would not
   * take: shorter than 8 characters). Without a codec: str keys, values read with the strict allowlist.
   */
  read<T>(sessionKey: string, options: SessionReadOptions<T> & { codec: T.Codec<T> }): Promise<T | null>;
  read(sessionKey: string, options?: SessionReadOptions<never>): Promise<DjangoSession | null>;
  async read<T>(sessionKey: string, options: SessionReadOptions<T> = {}): Promise<T | DjangoSession | null> {
    if (!validSessionKey(sessionKey)) return null;
    const { codec, ...load } = options;
    const value = await this.cache.get(this.prefix + sessionKey, { ...load, codec: (codec ?? SESSION) as T.Codec<T | DjangoSession> });
    return value === undefined ? null : value;
  }

  /** The logged-in user the session names (django.contrib.auth's keys), or null when none is logged in. */
  async login(sessionKey: string, options: TypedLoadOptions = {}): Promise<DjangoLogin | null> {
    const session = await this.read(sessionKey, options);
    return session === null ? null : loginOf(session);
  }

  /** Stores a session as the engine's `save` does (the dict as the cache value, timeout SESSION_COOKIE_AGE). */
  write<T>(sessionKey: string, session: T, options: SessionWriteOptions<T> & { codec: T.Codec<T> }): Promise<void>;
  write(sessionKey: string, session: DjangoSession, options?: SessionWriteOptions<never>): Promise<void>;
  async write<T>(sessionKey: string, session: T | DjangoSession, options: SessionWriteOptions<T> = {}): Promise<void> {
    if (!validSessionKey(sessionKey)) throw new TypeError("a Django session key has at least 8 characters");
    const { codec, timeout, ...write } = options;
    await this.cache.set(this.prefix + sessionKey, session, {
      ...write,
      codec: (codec ?? SESSION) as T.Codec<T | DjangoSession>,
      timeout: timeout === undefined ? this.cookieAge : timeout,
    });
  }

  /** Removes a session (logs its user out everywhere the session is used). */
  delete(sessionKey: string): Promise<boolean> {
    return this.cache.delete(this.prefix + sessionKey);
  }
}

/** Sessions of the cache engine in `cache`: `djangoSessions(djangoCache(redis)).login(cookie)`. */
export function djangoSessions(cache: DjangoCache, options: DjangoSessionsOptions = {}): DjangoSessions {
  return new DjangoSessions(cache, options);
}

/** Django's SessionBase._validate_session_key: a key of at least 8 characters. */
function validSessionKey(sessionKey: string): boolean {
  return typeof sessionKey === "string" && sessionKey.length >= 8;
}

/** What django.contrib.auth's `login()` puts in a session. */
export interface DjangoLogin {
  /** `_auth_user_id`: the user's primary key as text (`pk.value_to_string(user)`). */
  userId: string;
  /** `_auth_user_backend`: the dotted path of the backend that authenticated the user. */
  backend: string;
  /** `_auth_user_hash`: the session auth hash (an HMAC of the password hash; see verifySessionAuthHash). */
  hash: string;
}

/**
 * The auth keys of a session dict, or null when one is missing (Django's `get_user` takes such a
 * session as logged out). A key that holds something other than text: an UnpicklingError.
 */
export function loginOf(session: DjangoSession): DjangoLogin | null {
  if (AUTH_KEYS.some((key) => session[key] === undefined)) return null;
  return { userId: text(session, "_auth_user_id"), backend: text(session, "_auth_user_backend"), hash: text(session, "_auth_user_hash") };
}

const AUTH_KEYS = ["_auth_user_id", "_auth_user_backend", "_auth_user_hash"] as const;

function text(session: DjangoSession, key: string): string {
  const value = session[key];
  if (typeof value !== "string") throw new UnpicklingError(`session[${JSON.stringify(key)}]: expected str, got ${typeName(value)}`);
  return value;
}
