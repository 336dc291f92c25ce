// Check a Django login from Node: read the session that Django's cache session engine keeps in Redis.
//   REDIS_URL=redis://127.0.0.1:6379/0 npx tsx examples/django.ts <value of the sessionid cookie>
// Django's settings: CACHES["default"] is django.core.cache.backends.redis.RedisCache at that URL,
// SESSION_ENGINE = "django.contrib.sessions.backends.cache" (KEY_PREFIX / VERSION: see djangoCache's options).
import { Redis } from "ioredis";
import { djangoCache, djangoSessions } from "typed-pickle/django";
import { fromIoredis } from "typed-pickle/redis";

async function main(sessionKey: string): Promise<void> {
  const client = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379/0");
  try {
    const sessions = djangoSessions(djangoCache(fromIoredis(client)));
    // Read with the strict allowlist: a session holding anything but plain data is refused, never run.
    const login = await sessions.login(sessionKey);
    // To log out sessions whose password changed, as Django does, check login.hash against the user's
    // password field: verifySessionAuthHash(login.hash, password, [SECRET_KEY, ...SECRET_KEY_FALLBACKS]).
    console.log(login ? `user ${login.userId} (${login.backend})` : "not logged in");
  } finally {
    client.disconnect();
  }
}

main(process.argv[2] ?? "").catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
