// Node enqueues, a real RQ worker (Debian's python3-rq 1.13, burst mode, once for the whole batch)
// runs the jobs of python/rq_tasks.py, Node reads the outcomes: typed return values (a schema class
// out, a schema class in and out), a failure's traceback, None, through both client adapters.
import type { Redis } from "ioredis";
import { createClient } from "redis";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Address, User } from "../../schemas/user.ts";
import { AddressCodec, UserCodec } from "../../generated/user.ts";
import { PyDateTime, T, UnpicklingError } from "typed-pickle";
import { fromIoredis, fromNodeRedis, type RedisCommands } from "../../runtime/integrations/redis/index.ts";
import {
  enqueue,
  fetchResult,
  jobStatus,
  RqJobFailedError,
  RqNoSuchJobError,
  type RqResult,
  RqTimeoutError,
  resultValue,
  typed,
  waitForResult,
} from "../../runtime/integrations/rq/index.ts";
import { redisPort } from "../support/redis-server.ts";
import { RQ_DB, rqIoredis, runBurstWorker } from "./rq-support.ts";

const test = suite("integrations/rq-worker");

const ADA = Object.assign(new User(), {
  name: "Ada",
  age: 36,
  score: 9.5,
  hobbies: ["math"],
  isActive: true,
  address: Object.assign(new Address(), { street: "12 St James's Square", zip: "SW1Y 4JH" }),
  created: new PyDateTime(2024, 5, 17, 9, 30, 0, 123456),
});

let ioredisClient: Redis;
let nodeRedisClient: ReturnType<typeof createClient>;
let io: RedisCommands;
let nr: RedisCommands;
const ids: Record<string, string> = {};
const before: Record<string, { status: string | null; result: unknown }> = {};

test.before(async () => {
  ioredisClient = await rqIoredis();
  nodeRedisClient = createClient({ socket: { port: await redisPort(), host: "127.0.0.1" }, database: RQ_DB });
  await nodeRedisClient.connect();
  io = fromIoredis(ioredisClient);
  nr = fromNodeRedis(nodeRedisClient);

  ids.add = (await enqueue(io, "work", "rq_tasks.add", [2n, 3n])).id;
  ids.address = (await enqueue(io, "work", "rq_tasks.make_address", ["1 Main St", "12345"])).id;
  ids.birthday = (await enqueue(io, "work", "rq_tasks.birthday", [typed(UserCodec, ADA)], { hobby: "tea" })).id;
  ids.fail = (await enqueue(io, "work", "rq_tasks.fail", ["bad input"])).id;
  ids.nothing = (await enqueue(io, "work", "rq_tasks.nothing")).id;
  ids.nodeRedisAdd = (await enqueue(nr, "work", "rq_tasks.add", [40n, 2n], undefined, { resultTtl: 60 })).id;
  ids.nodeRedisDescribe = (await enqueue(nr, "work", "rq_tasks.describe", [], { user: typed(UserCodec, ADA) })).id;
  for (const [name, id] of Object.entries(ids)) before[name] = { status: await jobStatus(io, id), result: await fetchResult(io, id) };

  await runBurstWorker(await redisPort(), ["work"]);
});

test.after(async () => {
  // Either is unset when before() failed; an open client would keep the test process alive.
  ioredisClient?.disconnect();
  if (nodeRedisClient?.isOpen) await nodeRedisClient.close();
});

const value = <T>(id: string, result: RqResult<T> | null) => resultValue(id, result!);

test("before the worker ran: queued, no result", () => {
  for (const [name, seen] of Object.entries(before)) {
    assert.is(seen.status, "queued", name);
    assert.is(seen.result, null, name);
  }
});

test("add(2, 3) is the int 5 (read without a codec), a successful outcome from the results stream", async () => {
  const result = await fetchResult(io, ids.add!);
  assert.is(result?.type, "successful");
  assert.is(value(ids.add!, result), 5n);
  assert.match(result!.id ?? "", /^\d+-\d+$/);
  assert.ok(result!.createdAt instanceof Date);
  assert.is(await jobStatus(io, ids.add!), "finished");
});

test("a schema class out: make_address returns an Address, read through its codec", async () => {
  const address = value(ids.address!, await fetchResult(io, ids.address!, { codec: AddressCodec }));
  assert.instance(address, Address);
  assert.equal({ ...address }, { street: "1 Main St", zip: "12345" });
});

test("without a codec, a class outside the allowlist is refused, not built", async () => {
  try {
    await fetchResult(io, ids.address!);
    assert.unreachable("read");
  } catch (e) {
    assert.instance(e, UnpicklingError);
    assert.match((e as Error).message, /myapp\.models[. ]Address/);
  }
});

test("a schema class in and out: birthday gets a real User (it checks) and returns a new one", async () => {
  const user = value(ids.birthday!, await waitForResult(io, ids.birthday!, { codec: UserCodec, timeout: 1000 }));
  assert.instance(user, User);
  assert.is(user.age, 37);
  assert.equal(user.hobbies, ["math", "tea"]);
  assert.instance(user.address, Address);
  assert.equal(user.created, ADA.created);
});

test("a failing job: the traceback is read back, its exception named; resultValue throws it", async () => {
  const result = await fetchResult(io, ids.fail!);
  assert.is(result?.type, "failed");
  if (result?.type !== "failed") return;
  assert.match(result.excString, /Traceback[\s\S]*rq_tasks\.py[\s\S]*ValueError: bad input/);
  assert.equal(result.exception, { type: "ValueError", message: "bad input" });
  assert.is(await jobStatus(io, ids.fail!), "failed");
  try {
    resultValue(ids.fail!, result);
    assert.unreachable("no throw");
  } catch (e) {
    assert.instance(e, RqJobFailedError);
    assert.is((e as RqJobFailedError).excString, result.excString);
    assert.match((e as Error).message, /failed: ValueError: bad input$/);
  }
});

test("a job returning None: the value is null, and a codec that allows no None says so", async () => {
  assert.is(value(ids.nothing!, await fetchResult(io, ids.nothing!)), null);
  assert.is(value(ids.nothing!, await fetchResult(io, ids.nothing!, { codec: T.optional(T.int) })), null);
  try {
    await fetchResult(io, ids.nothing!, { codec: T.int });
    assert.unreachable("read None as an int");
  } catch (e) {
    assert.instance(e, UnpicklingError);
  }
});

test("node-redis: enqueued and read through the other adapter, kwargs with a typed value", async () => {
  assert.is(value(ids.nodeRedisAdd!, await fetchResult(nr, ids.nodeRedisAdd!, { codec: T.int })), 42);
  assert.is(value(ids.nodeRedisDescribe!, await waitForResult(nr, ids.nodeRedisDescribe!, { codec: T.str })), "Ada (36) lives at 12 St James's Square");
  const ttl = (await nr.send(["TTL", `rq:results:${ids.nodeRedisAdd}`])) as number;
  assert.ok(ttl > 0 && ttl <= 60, `the result ttl the job asked for applies: ${ttl}`);
});

test("waitForResult: a job nobody works on times out; an unknown job is not waited for", async () => {
  const { id } = await enqueue(io, "nobody-works-here", "rq_tasks.add", [1n, 1n]);
  try {
    await waitForResult(io, id, { timeout: 150, pollInterval: 50 });
    assert.unreachable("resolved");
  } catch (e) {
    assert.instance(e, RqTimeoutError);
    assert.match((e as Error).message, /status queued/);
  }
  try {
    await waitForResult(io, "no-such-job", { timeout: 10_000 });
    assert.unreachable("resolved");
  } catch (e) {
    assert.instance(e, RqNoSuchJobError);
  }
  assert.is(await jobStatus(io, "no-such-job"), null);
});

test.run();
