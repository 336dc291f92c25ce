// typed-pickle/django against real Django 5.2 (its RedisCache and cache session engine) on real Redis
// (database 2): Django writes, Node reads; Node writes, Django reads; the bytes Node stores are the
// bytes Django stores. python/django_peer.py is Django's side, run twice (write, then check).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PickleError, PyDateTime, PyTimezone, PyTuple, T, UnpicklingError, classCodec } from "../../runtime/index.ts";
import { DjangoCacheMissError, djangoCache, djangoSessions, sessionAuthHash, verifySessionAuthHash } from "../../runtime/integrations/django/index.ts";
import { fromIoredis, fromNodeRedis, type RedisCommands } from "../../runtime/integrations/redis/index.ts";
import { PYTHON_DIR } from "../support/python.ts";
import { namedVenv } from "../support/python-venv.ts";
import { redisPort } from "../support/redis-server.ts";

const test = suite("integrations/django");

const DATABASE = 2;
const EXAMPLE = fileURLToPath(new URL("../../examples/django.ts", import.meta.url)); // RQ's tests use 1, Celery's 3

/** django_app.shapes.Point, a dataclass. */
class Point {
  constructor(
    public x = 0,
    public y = 0,
  ) {}
}
const PointCodec = classCodec(Point, { module: "django_app.shapes", qualname: "Point", state: "dict", fields: { x: T.int, y: T.int } });

/** django_app.cases.CASES in Node's terms: a codec where the value model is not the natural reading. */
const CASES: Record<string, { value: unknown; codec?: T.Codec<unknown> }> = {
  str: { value: "héllo ✓ wörld" },
  dict: {
    value: new Map<unknown, unknown>([
      ["a", 1n],
      ["b", [1n, 2.5, null, true]],
      ["c", new Map([["nested", "x"]])],
    ]),
  },
  list: { value: [1n, "two", 3] },
  int: { value: 42, codec: T.int as T.Codec<unknown> },
  negative: { value: -7n },
  bigint: { value: 2n ** 70n },
  true: { value: true },
  float: { value: 2.5 },
  none: { value: null },
  bytes: { value: new Uint8Array([0, 255, 98, 105, 110]) },
  tuple: { value: new PyTuple([1n, "a"]) },
  datetime: { value: new PyDateTime(2024, 5, 6, 7, 8, 9, 123456), codec: T.datetime as T.Codec<unknown> },
  aware: { value: new PyDateTime(2024, 5, 6, 7, 8, 9, 0, PyTimezone.utc), codec: T.datetime as T.Codec<unknown> },
  point: { value: new Point(3, 4), codec: PointCodec as T.Codec<unknown> },
  large: { value: Array.from({ length: 20000 }, (_, i) => `item ${i}`), codec: T.list(T.str) as T.Codec<unknown> },
};

interface DjangoWrote {
  pickles: Record<string, string>;
  sessionKey: string;
  cachedDbSessionKey: string;
  userId: string;
  password: string;
  secretKeys: string[];
  sessionHash: string;
  sessionTtl: number;
}

let python = "";
let work = "";
let redisUrl = "";
let ioredis: Redis;
let redis: RedisCommands;
let fromDjango: DjangoWrote;

function peer(phase: "write" | "check", input?: unknown): unknown {
  try {
    const out = execFileSync(python, ["django_peer.py", phase], {
      cwd: PYTHON_DIR,
      input: input === undefined ? "" : JSON.stringify(input),
      encoding: "utf8",
      timeout: 60_000,
      maxBuffer: 1 << 28,
      env: {
        ...process.env,
        PYTHONPATH: PYTHON_DIR,
        DJANGO_REDIS_URL: redisUrl,
        DJANGO_DB_PATH: join(work, "db.sqlite3"),
        DJANGO_MARKER_PATH: join(work, "hostile-ran"),
      },
    });
    return JSON.parse(out);
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`django_peer.py ${phase} failed: ${err.stderr || err.message}`);
  }
}

test.before(async () => {
  python = namedVenv("django");
  const port = await redisPort();
  redisUrl = `redis://127.0.0.1:${port}/${DATABASE}`;
  work = mkdtempSync(join(tmpdir(), "typed-pickle-django-"));
  ioredis = new Redis({ port, host: "127.0.0.1", db: DATABASE, lazyConnect: true });
  await ioredis.connect();
  redis = fromIoredis(ioredis);
  fromDjango = peer("write") as DjangoWrote; // FLUSHDB first
});

test.after(() => {
  ioredis?.disconnect();
  if (work) rmSync(work, { recursive: true, force: true });
});

test("Node reads every value Django cached, ints stored raw as Django stores them", async () => {
  const cache = djangoCache(redis);
  for (const [name, { value, codec }] of Object.entries(CASES)) {
    const got = codec ? await cache.get(`case:${name}`, { codec }) : await cache.get(`case:${name}`);
    assert.equal(got, value, name);
  }
  assert.is(new TextDecoder().decode((await redis.send(["GET", ":1:case:int"])) as Uint8Array), "42");
  assert.is(await cache.get("case:int"), 42n, "an int's text in the value model is a bigint");
  assert.is(await cache.get("absent"), undefined, "a miss is undefined, a cached None is null");
  const many = await cache.getMany(["case:str", "absent", "case:negative"]);
  assert.equal(
    [...many],
    [
      ["case:str", "héllo ✓ wörld"],
      ["case:negative", -7n],
    ],
  );
});

test("versions and key prefixes", async () => {
  const cache = djangoCache(redis);
  assert.is(await cache.get("versioned"), "version one");
  assert.is(await cache.get("versioned", { version: 2 }), "version two");
  assert.is(djangoCache(redis, { version: 2 }).makeKey("versioned"), ":2:versioned");
  const shop = djangoCache(redis, { keyPrefix: "shop", version: 3 });
  assert.is(shop.makeKey("greeting"), "shop:3:greeting");
  assert.is(await shop.get("greeting"), "hello from shop");
  assert.is(await cache.get("greeting"), undefined);
});

test("Django's timeouts are Redis expiries: 60 s, none, and the default 300 s", async () => {
  const ttl = async (key: string) => (await redis.send(["TTL", key])) as number;
  const short = await ttl(":1:short");
  assert.ok(short > 0 && short <= 60, `short: ${short}`);
  assert.is(await ttl(":1:forever"), -1);
  const byDefault = await ttl(":1:case:str");
  assert.ok(byDefault > 60 && byDefault <= 300, `default: ${byDefault}`);
});

test("a hostile cache value (a pickle that calls os.system) is refused, nothing runs", async () => {
  const cache = djangoCache(redis);
  try {
    await cache.get("hostile");
    assert.unreachable("read a hostile pickle");
  } catch (e) {
    assert.instance(e, PickleError);
    assert.match((e as Error).message, /posix\.system|posix system/);
  }
  try {
    await cache.get("hostile", { codec: T.any });
    assert.unreachable("read a hostile pickle through a codec");
  } catch (e) {
    assert.instance(e, PickleError);
  }
  assert.not.ok(existsSync(join(work, "hostile-ran")));
});

test("a value of another type than the codec's is a clear UnpicklingError", async () => {
  const cache = djangoCache(redis);
  for (const [key, codec] of [
    ["case:str", T.int],
    ["case:int", T.str],
    ["case:point", T.str],
  ] as const) {
    try {
      await cache.get(key, { codec: codec as T.Codec<unknown> });
      assert.unreachable(key);
    } catch (e) {
      assert.instance(e, UnpicklingError, key);
    }
  }
});

test("a Django login read from its cache session: _auth_user_id, backend, hash", async () => {
  const sessions = djangoSessions(djangoCache(redis));
  assert.is(sessions.redisKey(fromDjango.sessionKey), `:1:django.contrib.sessions.cache${fromDjango.sessionKey}`);
  const login = await sessions.login(fromDjango.sessionKey);
  assert.equal(login, { userId: fromDjango.userId, backend: "django.contrib.auth.backends.ModelBackend", hash: fromDjango.sessionHash });
  assert.is(sessionAuthHash(fromDjango.password, fromDjango.secretKeys[0]!), fromDjango.sessionHash);
  assert.ok(verifySessionAuthHash(login!.hash, fromDjango.password, fromDjango.secretKeys));
  assert.not.ok(verifySessionAuthHash(login!.hash, `${fromDjango.password}x`, fromDjango.secretKeys), "a changed password logs out");
  assert.not.ok(verifySessionAuthHash(login!.hash, fromDjango.password, ["another secret"]));
  const session = await sessions.read(fromDjango.sessionKey);
  assert.equal(session?.cart, [1n, 2n, 3n]);
  assert.ok(fromDjango.sessionTtl > 1_209_000 && fromDjango.sessionTtl <= 1_209_600, `session TTL: ${fromDjango.sessionTtl}`);
  assert.is(await sessions.login("nosuchsessionkey0000000000000000"), null);
  assert.is(await sessions.read(fromDjango.sessionKey.slice(0, 7)), null, "Django takes no key under 8 characters");
});

test("examples/django.ts prints the user id of Django's login, and 'not logged in' for an unknown session", () => {
  const run = (sessionKey: string) =>
    execFileSync(process.execPath, ["--import", "tsx", EXAMPLE, sessionKey], { encoding: "utf8", timeout: 30_000, env: { ...process.env, REDIS_URL: redisUrl } });
  assert.is(run(fromDjango.sessionKey), `user ${fromDjango.userId} (django.contrib.auth.backends.ModelBackend)\n`);
  assert.is(run("nosuchsessionkey"), "not logged in\n");
});

test("a cached_db session's cached copy; a hostile session is refused", async () => {
  const cachedDb = djangoSessions(djangoCache(redis), { engine: "cached_db" });
  assert.is(cachedDb.redisKey("k"), ":1:django.contrib.sessions.cached_dbk");
  assert.throws(() => djangoSessions(djangoCache(redis), { engine: "constructor" as never }), TypeError);
  assert.equal({ ...(await cachedDb.read(fromDjango.cachedDbSessionKey)) }, { flavour: "cached_db" });
  try {
    await djangoSessions(djangoCache(redis)).login("hostilesessionkey");
    assert.unreachable("read a hostile session");
  } catch (e) {
    assert.instance(e, PickleError);
  }
  assert.not.ok(existsSync(join(work, "hostile-ran")));
});

test("Node writes (node-redis): Django reads them equal, stored byte for byte as Django stores them", async () => {
  const client = createClient({ socket: { port: await redisPort(), host: "127.0.0.1" }, database: DATABASE });
  await client.connect();
  try {
    const cache = djangoCache(fromNodeRedis(client));
    for (const [name, { value, codec }] of Object.entries(CASES)) {
      if (codec) await cache.set(`node:${name}`, value, { codec });
      else await cache.set(`node:${name}`, value as never);
    }
    await cache.set("node:versioned", "seven", { version: 7 });
    await cache.set("node:forever", "y", { timeout: null });
    await djangoCache(fromNodeRedis(client), { keyPrefix: "shop", version: 3, timeout: 60 }).set("node:greeting", "hi shop");
    await cache.set("node:gone", "z", { timeout: 0 });
    assert.not.ok(await cache.hasKey("node:gone"), "timeout 0 deletes, as Django");

    await cache.set("node:huge", 10n ** 4300n); // past int()'s digit limit: pickled, which Django reads
    await cache.set("node:counter", 10, { codec: T.int });
    assert.is(await cache.incr("node:counter", 5), 15);
    assert.is(await cache.decr("node:counter"), 14);
    assert.not.ok(await cache.add("node:counter", 1, { codec: T.int }), "add keeps an existing value");
    try {
      await cache.incr("node:absent");
      assert.unreachable("incr of a missing key");
    } catch (e) {
      assert.instance(e, DjangoCacheMissError);
      assert.is((e as Error).message, "Key ':1:node:absent' not found.");
    }

    const sessionKey = "nodewrotethissession0000000000ab";
    await djangoSessions(cache).write(sessionKey, {
      _auth_user_id: fromDjango.userId,
      _auth_user_backend: "django.contrib.auth.backends.ModelBackend",
      _auth_user_hash: sessionAuthHash(fromDjango.password, fromDjango.secretKeys[0]!),
      theme: "dark",
    });

    const django = peer("check", { cases: Object.keys(CASES), sessionKey }) as {
      cases: Record<string, { equal: boolean; repr: string; stored: string; ttl: number }>;
      versioned: unknown[];
      prefixed: unknown;
      prefixedTtl: number;
      persistentTtl: number;
      counter: unknown;
      hugeIntEqual: boolean;
      session: Record<string, unknown>;
      sessionTtl: number;
      loggedIn: string | null;
    };
    for (const [name, verdict] of Object.entries(django.cases)) {
      assert.ok(verdict.equal, `${name}: Django read ${verdict.repr}`);
      assert.is(verdict.stored, fromDjango.pickles[name], `${name}: the bytes Django would store`);
      assert.ok(verdict.ttl > 60 && verdict.ttl <= 300, `${name}: TTL ${verdict.ttl}`);
    }
    assert.equal(django.versioned, [null, "seven"]);
    assert.is(django.prefixed, "hi shop");
    assert.ok(django.prefixedTtl > 0 && django.prefixedTtl <= 60, `prefixed TTL ${django.prefixedTtl}`);
    assert.is(django.persistentTtl, -1);
    assert.is(django.counter, 14);
    assert.ok(django.hugeIntEqual, "Django reads an int of 4301 digits Node stored");
    assert.is(django.session.theme, "dark");
    assert.ok(django.sessionTtl > 1_209_000 && django.sessionTtl <= 1_209_600, `session TTL ${django.sessionTtl}`);
    assert.is(django.loggedIn, "ada", "Django's get_user takes the session Node wrote as ada's login");
  } finally {
    await client.close();
  }
});

test.run();
