// Reading outcomes that were not written by a well-behaved RQ: stream entries and job hashes made by
// hand on a real redis-server. Each bad one is a clear RqProtocolError or UnpicklingError, never a
// crash or a call; the job-hash layout of RQ before 1.12 reads as RQ reads it.
import { deflateSync } from "node:zlib";
import type { Redis } from "ioredis";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { dumps, type PickleError, T, UnpicklingError } from "typed-pickle";
import { fromIoredis, type RedisCommands } from "../../runtime/integrations/redis/index.ts";
import { fetchResult, parseException, parseRqTimestamp, RqProtocolError, rqTimestamp } from "../../runtime/integrations/rq/index.ts";
import { rqIoredis } from "./rq-support.ts";

const test = suite("integrations/rq-results");

let client: Redis;
let redis: RedisCommands;

test.before(async () => {
  client = await rqIoredis();
  redis = fromIoredis(client);
});
test.after(() => client?.disconnect()); // client is unset when before() failed

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64");
let n = 0;

/** A job id whose results stream holds one entry with these fields. */
async function streamEntry(fields: Record<string, string>): Promise<string> {
  const id = `hand-${++n}`;
  await redis.send(["XADD", `rq:results:${id}`, "*", ...Object.entries(fields).flat()]);
  return id;
}

async function refused(id: string, kind: new (...args: never[]) => PickleError, message: RegExp, options = {}) {
  try {
    await fetchResult(redis, id, options);
  } catch (e) {
    assert.instance(e, kind);
    assert.match((e as Error).message, message);
    return;
  }
  assert.unreachable("read");
}

// What CPython pickles for a __reduce__ returning (os.system, ('echo pwned',)), protocol 2: GLOBAL posix system + REDUCE.
const CALLS_OS_SYSTEM = new Uint8Array(Buffer.from("800263706f7369780a73797374656d0a7100580a0000006563686f2070776e656471018571025271032e", "hex"));

test("stream entries that are not RQ's are RqProtocolErrors", async () => {
  await refused(await streamEntry({ type: "9" }), RqProtocolError, /field type is not 1, 2 or 3/);
  await refused(await streamEntry({ return_value: b64(dumps(1n)) }), RqProtocolError, /field type is not 1, 2 or 3/);
  await refused(await streamEntry({ type: "1", return_value: "not base64!" }), RqProtocolError, /rq:results:hand-\d+: field return_value is not base64/);
  await refused(await streamEntry({ type: "2", exc_string: b64("not zlib") }), RqProtocolError, /field exc_string is not zlib data/);
  await refused(await streamEntry({ type: "2", exc_string: b64(deflateSync(Buffer.from([0xff, 0xfe]))) }), RqProtocolError, /exc_string is not UTF-8/);
});

test("a traceback that inflates past the bound is refused before it is held", async () => {
  const id = await streamEntry({ type: "2", exc_string: b64(deflateSync(Buffer.alloc(1 << 20, 0x41))) });
  await refused(id, RqProtocolError, /inflates to more than 65536 bytes/, { maxInflated: 65536 });
  const whole = await fetchResult(redis, id);
  assert.is(whole?.type === "failed" && whole.excString.length, 1 << 20);
});

test("a return value naming a callable outside the allowlist is refused, nothing called", async () => {
  const id = await streamEntry({ type: "1", return_value: b64(CALLS_OS_SYSTEM) });
  await refused(id, UnpicklingError, /posix[. ]system/);
  await refused(id, UnpicklingError, /posix[. ]system/, { codec: T.str });
});

test("a stopped run with its traceback, and one with none", async () => {
  const stopped = await fetchResult(redis, await streamEntry({ type: "3", exc_string: b64(deflateSync(Buffer.from("Traceback …\nKeyError"))) }));
  assert.equal(stopped && { ...stopped, createdAt: null, id: null }, {
    type: "stopped",
    excString: "Traceback …\nKeyError",
    exception: { type: "KeyError", message: "" },
    createdAt: null,
    id: null,
  });
  const bare = await fetchResult(redis, await streamEntry({ type: "2", exc_string: "" }));
  assert.is(bare?.type === "failed" && bare.exception, null);
});

test("the newest stream entry is the outcome (a retried job has several)", async () => {
  const id = await streamEntry({ type: "2", exc_string: b64(deflateSync(Buffer.from("ValueError: first try"))) });
  await redis.send(["XADD", `rq:results:${id}`, "*", "type", "1", "return_value", b64(dumps("second try"))]);
  const result = await fetchResult(redis, id, { codec: T.str });
  assert.is(result?.type === "successful" && result.value, "second try");
});

test("the job hash of RQ before 1.12: result = pickle, exc_info = zlib (or, older, plain) text", async () => {
  await redis.send(["HSET", "rq:job:old-ok", "status", "finished", "result", dumps([1n, "two"], { protocol: 4 }), "ended_at", "2023-01-02T03:04:05.678901Z"]);
  const ok = await fetchResult(redis, "old-ok");
  assert.equal(ok, { type: "successful", value: [1n, "two"], id: null, createdAt: new Date(Date.UTC(2023, 0, 2, 3, 4, 5, 678)) });
  await redis.send(["HSET", "rq:job:old-failed", "status", "failed", "exc_info", deflateSync(Buffer.from("Traceback\nZeroDivisionError: division by zero"))]);
  const failed = await fetchResult(redis, "old-failed");
  assert.equal(failed?.type === "failed" && failed.exception, { type: "ZeroDivisionError", message: "division by zero" });
  await redis.send(["HSET", "rq:job:older-failed", "status", "failed", "exc_info", "Traceback\nKeyError: 'x'"]);
  const older = await fetchResult(redis, "older-failed");
  assert.equal(older?.type === "failed" && older.exception, { type: "KeyError", message: "'x'" });
  await redis.send(["HSET", "rq:job:old-queued", "status", "queued"]);
  assert.is(await fetchResult(redis, "old-queued"), null);
  assert.is(await fetchResult(redis, "never-enqueued"), null);
  await redis.send(["HSET", "rq:job:old-bad", "status", "finished", "result", "Unserializable return value"]);
  await refused("old-bad", UnpicklingError, /./);
  await redis.send(["HSET", "rq:job:old-bad-time", "status", "finished", "ended_at", "yesterday"]);
  await refused("old-bad-time", RqProtocolError, /not an RQ timestamp/);
});

test("timestamps: RQ's format both ways; malformed ones refused", () => {
  const date = new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 7));
  assert.is(rqTimestamp(date), "2024-02-29T23:59:58.007000Z");
  assert.equal(parseRqTimestamp("2024-02-29T23:59:58.007999Z", "k"), date);
  assert.equal(parseRqTimestamp("2024-02-29T23:59:58Z", "k"), new Date(Date.UTC(2024, 1, 29, 23, 59, 58)));
  assert.is(parseRqTimestamp("", "k"), null);
  for (const bad of ["2023-02-29T00:00:00.000000Z", "2024-01-01T24:00:00.000000Z", "2024-01-01 00:00:00"]) {
    assert.throws(
      () => parseRqTimestamp(bad, "k"),
      (e: unknown) => e instanceof RqProtocolError,
    );
  }
});

test("parseException: the traceback's last line", () => {
  assert.equal(parseException("Traceback (most recent call last):\n  ...\nmod.Error: a: b\n\n"), { type: "mod.Error", message: "a: b" });
  assert.is(parseException("  \n"), null);
});

test("a job that finishes between fetchResult's two reads is read with its result, not as None", async () => {
  // What a worker commits in one transaction when a job succeeds: the status and the stream entry.
  const id = `race-${++n}`;
  await redis.send(["HSET", `rq:job:${id}`, "status", "started"]);
  const finish = () =>
    client
      .multi()
      .hset(`rq:job:${id}`, "status", "finished")
      .xadd(`rq:results:${id}`, "*", "type", "1", "return_value", b64(dumps(5n, { protocol: 5 })))
      .exec();
  // The commit lands right after fetchResult's first command, whichever it is.
  let first = true;
  const racing: RedisCommands = {
    async send(args) {
      const reply = await redis.send(args);
      if (first) {
        first = false;
        await finish();
      }
      return reply;
    },
  };
  const result = await fetchResult(racing, id, { codec: T.int });
  assert.equal(result?.type === "successful" && result.value, 5);
});

test.run();
