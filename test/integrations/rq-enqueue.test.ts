// Node's enqueue against RQ's own: Debian's python3-rq 1.13 enqueues each case of
// python/rq_enqueue_oracle.py, Node enqueues the same; the two job hashes must hold the same fields
// with the same values (ids and timestamps aside; the pickled call compared uncompressed, byte for
// byte), both queued on the same list, the queue registered, the ttl applied.
import { inflateSync } from "node:zlib";
import type { Redis } from "ioredis";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Address, User } from "../../schemas/user.ts";
import { UserCodec } from "../../generated/user.ts";
import { PicklingError, PyDateTime, PyTuple, type PyValue } from "typed-pickle";
import { fromIoredis, type RedisCommands, replyPairs } from "../../runtime/integrations/redis/index.ts";
import { type EnqueueOptions, enqueue, type JobArgument, type JobKwargs, RqOptionError, typed } from "../../runtime/integrations/rq/index.ts";
import { redisPort } from "../support/redis-server.ts";
import { rqIoredis, rqRedisUrl, runDebianPython } from "./rq-support.ts";

const test = suite("integrations/rq-enqueue");

const ADA = Object.assign(new User(), {
  name: "Ada",
  age: 36,
  score: 9.5,
  hobbies: ["math", "poetry"],
  isActive: true,
  address: Object.assign(new Address(), { street: "12 St James's Square", zip: "SW1Y 4JH" }),
  created: new PyDateTime(2024, 5, 17, 9, 30, 0, 123456),
});

type Case = [funcName: string, args?: JobArgument[], kwargs?: JobKwargs, options?: EnqueueOptions];

// The same calls as rq_enqueue_oracle.py's cases, by name.
const CASES: Record<string, Case> = {
  add: ["rq_tasks.add", [2n, 3n]],
  "no-args": ["rq_tasks.nothing"],
  "kwargs-and-options": [
    "rq_tasks.add",
    [2n],
    { b: 3.5, a_first: null },
    { timeout: "15m", resultTtl: 600, ttl: 900, failureTtl: 1200, meta: { source: "node", tries: 1n }, retry: { max: 3, intervals: [10, 20] } },
  ],
  values: [
    "rq_tasks.add",
    [
      [1n, "a", new PyTuple([2n, 3n])],
      new Map<PyValue, PyValue>([
        ["k", new PyTuple([1n, 2n])],
        ["é🎉", new Uint8Array([0, 255])],
      ]),
      null,
      true,
      1.5,
      2n ** 70n,
      "x".repeat(100),
      "é🎉".repeat(40),
    ],
  ],
  "typed-user": ["rq_tasks.birthday", [typed(UserCodec, ADA)], { hobby: "tea" }],
  "at-front": ["rq_tasks.add", [1n, 1n], {}, { atFront: true, description: "one and one", timeout: -1 }],
};

let client: Redis;
let redis: RedisCommands;
const pythonIds = new Map<string, string>();
const nodeIds = new Map<string, string>();

test.before(async () => {
  client = await rqIoredis();
  redis = fromIoredis(client);
  for (const line of runDebianPython(["rq_enqueue_oracle.py", rqRedisUrl(await redisPort())])
    .trim()
    .split("\n")) {
    const { case: name, id } = JSON.parse(line) as { case: string; id: string };
    pythonIds.set(name, id);
  }
  for (const [name, [funcName, args, kwargs, options]] of Object.entries(CASES)) {
    nodeIds.set(name, (await enqueue(redis, "compare", funcName, args, kwargs, options)).id);
  }
});

test.after(() => client?.disconnect()); // client is unset when before() failed

const hash = async (id: string) => replyPairs(await redis.send(["HGETALL", `rq:job:${id}`]));
const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : Buffer.from(bytes).toString("utf8"));
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

test("Python and Node enqueued every case", () => {
  assert.equal([...pythonIds.keys()].sort(), Object.keys(CASES).sort());
  for (const id of nodeIds.values()) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, "a uuid4, as RQ makes");
});

for (const name of Object.keys(CASES)) {
  test(`${name}: the job hash Node writes is the one RQ writes`, async () => {
    const py = await hash(pythonIds.get(name)!);
    const node = await hash(nodeIds.get(name)!);
    assert.equal([...node.keys()].sort(), [...py.keys()].sort(), "the same fields");
    for (const [field, value] of py) {
      const mine = node.get(field)!;
      if (field === "created_at" || field === "enqueued_at") {
        assert.match(text(mine)!, TIMESTAMP, field);
        assert.match(text(value)!, TIMESTAMP, field);
      } else if (field === "data") {
        assert.equal(inflateSync(mine).toString("hex"), inflateSync(value).toString("hex"), "the pickled call, byte for byte");
      } else if (field === "description" && name === "typed-user") {
        // Python prints the User with its dataclass __repr__, which is Python code; Node prints the pickled object.
        assert.match(text(value)!, /^rq_tasks\.birthday\(User\(name='Ada', .*\.\.\., hobby='tea'\)$/);
        assert.match(text(mine)!, /^rq_tasks\.birthday\(myapp\.models\.User\(name='Ada', .*\.\.\., hobby='tea'\)$/);
      } else {
        assert.is(text(mine), text(value), field);
      }
    }
  });
}

test("the queue is registered and holds both jobs; at-front jobs went to the front", async () => {
  assert.is(await redis.send(["SISMEMBER", "rq:queues", "rq:queue:compare"]), 1);
  const queued = ((await redis.send(["LRANGE", "rq:queue:compare", "0", "-1"])) as Uint8Array[]).map((id) => text(id));
  assert.is(queued.length, 2 * Object.keys(CASES).length);
  assert.equal(queued.slice(0, 2), [nodeIds.get("at-front"), pythonIds.get("at-front")]);
  for (const id of [...pythonIds.values(), ...nodeIds.values()]) assert.ok(queued.includes(id), id);
});

test("a job ttl expires the job hash, as RQ's cleanup does", async () => {
  for (const ids of [pythonIds, nodeIds]) {
    const ttl = (await redis.send(["TTL", `rq:job:${ids.get("kwargs-and-options")}`])) as number;
    assert.ok(ttl > 800 && ttl <= 900, `ttl ${ttl}`);
    assert.is(await redis.send(["TTL", `rq:job:${ids.get("add")}`]), -1);
  }
});

test("one command: callers sharing the client get their own replies while a job is enqueued", async () => {
  // Sent as MULTI … EXEC through a shared connection, the GETs would land inside the transaction and be answered "QUEUED".
  await redis.send(["SET", "shared:key", "mine"]);
  const [job, ...replies] = await Promise.all([enqueue(redis, "shared", "rq_tasks.add", [1n, 2n]), redis.send(["GET", "shared:key"]), redis.send(["GET", "shared:key"])]);
  assert.equal(
    replies.map((reply) => text(reply as Uint8Array)),
    ["mine", "mine"],
  );
  assert.is(text((await redis.send(["HGET", `rq:job:${job.id}`, "status"])) as Uint8Array), "queued");
});

test("options RQ refuses are refused before anything is written", async () => {
  const before = await redis.send(["DBSIZE"]);
  const refused = async (options: EnqueueOptions, message: RegExp) => {
    try {
      await enqueue(redis, "compare", "rq_tasks.add", [1n, 2n], undefined, options);
    } catch (e) {
      assert.instance(e, RqOptionError);
      assert.match((e as Error).message, message);
      return;
    }
    assert.unreachable(`accepted ${JSON.stringify(options)}`);
  };
  await refused({ timeout: 0 }, /0 timeout is not allowed/);
  await refused({ ttl: 0 }, /ttl must be greater than 0/);
  await refused({ ttl: "-5m" }, /ttl must be greater than 0/);
  await refused({ timeout: "5 minutes" }, /expected seconds or digits with a unit/);
  await refused({ resultTtl: 1.5 }, /whole number of seconds/);
  await refused({ retry: { max: 0 } }, /greater than 0/);
  await refused({ retry: { max: 2, intervals: [5, -1] } }, /not negative/);
  await refused({ jobId: "" }, /jobId/);
  assert.equal(await redis.send(["DBSIZE"]), before);
});

test("a typed argument its codec refuses is a PicklingError naming where, and nothing is written", async () => {
  const before = await redis.send(["DBSIZE"]);
  const bad = Object.assign(new User(), { ...ADA, age: "old" as unknown as number });
  try {
    await enqueue(redis, "compare", "rq_tasks.birthday", [typed(UserCodec, bad)]);
    assert.unreachable("accepted");
  } catch (e) {
    assert.instance(e, PicklingError);
    assert.match((e as Error).message, /^args\[0\]\.age: /);
  }
  assert.equal(await redis.send(["DBSIZE"]), before);
});

test.run();
