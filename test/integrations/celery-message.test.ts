// The task message Node writes against the one Celery 5.2 (kombu 5.2, Debian's python3-celery) writes
// itself: the same JSON text once ids and the sender's name are masked, the same pickled body byte
// for byte, in the same Redis list; Node reads Celery's message back; malformed or hostile messages
// are refused. No worker: Celery's messages go to a queue nobody consumes.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { Redis } from "ioredis";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PickleError, PyDateTime, PyTuple, T, UnpicklingError, dumps, type PyValue } from "typed-pickle";
import { fromIoredis, type RedisCommands } from "typed-pickle/redis";
import { CeleryFormatError, defineTask, parseTaskMessage, parseTaskResult, pythonJson, sendTask } from "typed-pickle/celery";
import { redisPort } from "../support/redis-server.ts";
import { fromHex, PYTHON_DIR, runPython, toHex } from "../support/python.ts";

const test = suite("integrations/celery-message");

const DB = 3; // the Celery suites' database (RQ and Django use 1 and 2)
const QUEUE = "typed-pickle-compare";
const SEP = "\x06\x16";
const ADD_ID = "6f1d8e2a-0000-4000-8000-000000000001";
const ECHO_ID = "6f1d8e2a-0000-4000-8000-000000000002";

// Node's value-model twins of python/celery_send.py's RICH_ARGS and RICH_KWARGS.
const RICH_ARGS = new PyTuple([2n, "é", 1.5, null, [1n, 2n], new Uint8Array([0, 255]), 2n ** 70n]);
const RICH_KWARGS = new Map<string, PyValue>([
  ["label", "sum é"],
  ["when", new PyDateTime(2024, 1, 2, 3, 4, 5, 678901)],
  ["nested", new Map<PyValue, PyValue>([["k", new PyTuple([1n, true])]])],
]);
const RICH_OPTIONS = {
  taskId: ECHO_ID,
  queue: QUEUE,
  eta: new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 250)),
  expires: new Date(Date.UTC(2030, 0, 3)),
  timeLimit: 30,
  softTimeLimit: 20,
  priority: 5,
  shadow: "echo-shadow",
  retries: 2,
};

let client: Redis;
let redis: RedisCommands;
/** json.dumps of awkward strings, as celery_send.py printed it. */
let jsonDumpsText = "";

async function drain(key: string): Promise<string[]> {
  const items = (await redis.send(["LRANGE", key, "0", "-1"])) as Uint8Array[];
  await redis.send(["DEL", key]);
  return items.map((b) => Buffer.from(b).toString("utf8"));
}

/** Celery's messages for the two samples (and json.dumps of awkward strings), sent by Celery itself. */
async function celerysMessages(port: number): Promise<{ add: string; echo: string; binding: string[] }> {
  await redis.send(["DEL", QUEUE, `${QUEUE}${SEP}3`, `_kombu.binding.${QUEUE}`]);
  const out = execFileSync("/usr/bin/python3", ["celery_send.py", QUEUE, ADD_ID, ECHO_ID], {
    cwd: PYTHON_DIR,
    encoding: "utf8",
    env: { ...process.env, PYTHONPATH: PYTHON_DIR, CELERY_REDIS_URL: `redis://127.0.0.1:${port}/${DB}` },
  });
  jsonDumpsText = out.trimEnd();
  const binding = ((await redis.send(["SMEMBERS", `_kombu.binding.${QUEUE}`])) as Uint8Array[]).map((b) => Buffer.from(b).toString("latin1"));
  await redis.send(["DEL", `_kombu.binding.${QUEUE}`]);
  const [add] = await drain(QUEUE);
  const [echo] = await drain(`${QUEUE}${SEP}3`); // priority 5 goes to kombu's step-3 list
  return { add: add!, echo: echo!, binding };
}

/**
 * What differs between any two senders: the delivery tag, the sender's name, Celery's reply queue
 * (its app's id), and the expiry as a TTL counted from the moment of sending (checked on its own).
 */
function masked(text: string): string {
  return text
    .replace(/"delivery_tag": "[^"]*"/, '"delivery_tag": "*"')
    .replace(/"origin": "[^"]*"/, '"origin": "*"')
    .replace(/"reply_to": "[^"]*"/, '"reply_to": "*"')
    .replace(/"expiration": "\d+"/, '"expiration": "*"');
}

function body(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(JSON.parse(text).body, "base64"));
}

let celerys: { add: string; echo: string; binding: string[] };

test.before(async () => {
  const port = await redisPort();
  client = new Redis({ port, host: "127.0.0.1", db: DB, lazyConnect: true });
  await client.connect();
  redis = fromIoredis(client);
  celerys = await celerysMessages(port);
});

test.after(() => {
  client?.disconnect();
});

test("add(2, 3): Node's message is Celery's, key for key and in the same text; the body pickle byte for byte", async () => {
  await sendTask(redis, "tasks.add", [2n, 3n], {}, { taskId: ADD_ID, queue: QUEUE });
  const [ours] = await drain(QUEUE);
  assert.is(masked(ours!), masked(celerys.add));
  const theirs = JSON.parse(celerys.add);
  const mine = JSON.parse(ours!);
  assert.equal(Object.keys(mine), Object.keys(theirs));
  assert.equal(Object.keys(mine.headers), Object.keys(theirs.headers));
  assert.equal(Object.keys(mine.properties), Object.keys(theirs.properties));
  assert.is(toHex(body(ours!)), toHex(body(celerys.add)));
  assert.is(mine.headers.origin, `gen${process.pid}@${hostname()}`);
  assert.match(mine.properties.delivery_tag, /^[0-9a-f-]{36}$/);
});

test("a rich call (eta, expires, time limits, priority, shadow, retries; bytes, big int, datetime, tuples): same message, same body", async () => {
  const echo = defineTask({ name: "tasks.echo" });
  await echo.send(redis, RICH_ARGS, RICH_KWARGS, RICH_OPTIONS);
  const [ours] = await drain(`${QUEUE}${SEP}3`);
  assert.ok(ours, "priority 5 goes to the step-3 list, as kombu files it");
  // Celery's saferepr writes bytes unescaped (b'\x00\xff' comes out as raw characters); ours is repr's.
  const withoutArgsrepr = (text: string) => masked(text).replace(/"argsrepr": "(?:[^"\\]|\\.)*"/, '"argsrepr": "*"');
  assert.is(withoutArgsrepr(ours!), withoutArgsrepr(celerys.echo));
  assert.is(JSON.parse(ours!).headers.argsrepr, "(2, 'é', 1.5, None, [1, 2], b'\\x00\\xff', 1180591620717411303424)");
  assert.is(toHex(body(ours!)), toHex(body(celerys.echo)));
  // The TTL is the time left until `expires` (in ms, as text): within the run's few seconds of Celery's.
  const ttl = (text: string) => Number(JSON.parse(text).properties.expiration);
  assert.ok(Math.abs(ttl(ours!) - ttl(celerys.echo)) < 60_000, `${ttl(ours!)} vs ${ttl(celerys.echo)}`);
});

test("the queue's binding is the one Celery declares", async () => {
  await sendTask(redis, "tasks.add", [2n, 3n], {}, { queue: QUEUE });
  const binding = ((await redis.send(["SMEMBERS", `_kombu.binding.${QUEUE}`])) as Uint8Array[]).map((b) => Buffer.from(b).toString("latin1"));
  await redis.send(["DEL", `_kombu.binding.${QUEUE}`, QUEUE]);
  assert.equal(binding, celerys.binding);
});

test("Node reads Celery's own messages: untyped, and through codecs", () => {
  const add = parseTaskMessage(celerys.add);
  assert.is(add.task, "tasks.add");
  assert.is(add.id, ADD_ID);
  assert.equal(add.args, new PyTuple([2n, 3n]));
  assert.equal(add.kwargs, new Map());
  assert.equal(add.embed, new Map(["callbacks", "errbacks", "chain", "chord"].map((k) => [k, null])));
  const typedAdd = defineTask({ name: "tasks.add", args: T.tuple(T.int, T.int) }).parse(celerys.add);
  assert.equal(typedAdd.args, [2, 3]);
  const echo = parseTaskMessage(celerys.echo, { kwargs: T.record(T.any) });
  assert.equal(echo.args, RICH_ARGS);
  assert.equal(echo.kwargs.label, "sum é");
  assert.equal(echo.kwargs.when, RICH_KWARGS.get("when"));
  assert.is(echo.headers.eta, "2030-01-02T03:04:05.250000+00:00");
  assert.is(echo.headers.shadow, "echo-shadow");
  assert.equal(echo.headers.timelimit, [30, 20]);
});

test("pythonJson writes Python's json.dumps text (celery_send.py printed it for these strings)", () => {
  assert.is(pythonJson(["é", "\u2028", "\u{1f600}", "\x00\x1f\x7f", 'q"\\/', "\ud800"]), jsonDumpsText);
  assert.is(pythonJson({ a: [1, 2.5, null, true], b: {} }), '{"a": [1, 2.5, null, true], "b": {}}');
});

function refusal(run: () => unknown): PickleError {
  try {
    run();
  } catch (e) {
    if (e instanceof PickleError) return e;
    throw e;
  }
  throw new Error("accepted");
}

test("malformed messages are refused with CeleryFormatError", () => {
  const good = JSON.parse(celerys.add);
  type Envelope = { [key: string]: unknown; headers: Record<string, unknown>; properties: Record<string, unknown> };
  const variant = (change: (m: Envelope) => void) => {
    const m = structuredClone(good);
    change(m);
    return JSON.stringify(m);
  };
  const cases: [string, string | Uint8Array, RegExp][] = [
    ["not JSON", "{oops", /not JSON/],
    ["not UTF-8", new Uint8Array([0x7b, 0xff, 0x7d]), /not JSON/],
    ["an array", "[1]", /not a JSON object/],
    ["protocol 1 (no task header)", variant((m) => delete m.headers.task), /protocol 2/],
    ["the json serializer", variant((m) => (m["content-type"] = "application/json")), /only application\/x-python-serialize/],
    ["another body encoding", variant((m) => (m.properties.body_encoding = "utf-8")), /not base64/],
    ["bad base64", variant((m) => (m.body = "!!!")), /not valid base64/],
    [
      "args not a tuple",
      variant((m) => (m.body = Buffer.from(dumps(new PyTuple([1n, new Map(), new Map()]), { protocol: 4 })).toString("base64"))),
      /args are not a list or tuple/,
    ],
  ];
  for (const [what, message, reason] of cases) {
    const e = refusal(() => parseTaskMessage(message));
    assert.instance(e, CeleryFormatError, what);
    assert.match(e.message, reason, what);
  }
});

test("stored results not in Celery's shape are refused with a PickleError", () => {
  const meta = (entries: [string, PyValue][]) => dumps(new Map<PyValue, PyValue>(entries), { protocol: 4 });
  const cases: [string, Uint8Array, RegExp][] = [
    ["not a dict", dumps([1n], { protocol: 4 }), /expected a dict \(Celery's task meta\)/],
    ["no status", meta([["result", 1n]]), /expected str for status/],
    [
      "a failure without an exception",
      meta([
        ["status", "FAILURE"],
        ["result", "boom"],
      ]),
      /\$\.result: expected an exception for state FAILURE/,
    ],
    [
      "another task's result",
      meta([
        ["status", "SUCCESS"],
        ["result", 1n],
        ["task_id", "other"],
      ]),
      /the result stored for task t names task other/,
    ],
    [
      "a result of the wrong type",
      meta([
        ["status", "SUCCESS"],
        ["result", "five"],
      ]),
      /\$\.result: expected int/,
    ],
  ];
  for (const [what, stored, reason] of cases) {
    const e = refusal(() => parseTaskResult("t", stored, what.includes("wrong type") ? { codec: T.int } : {}));
    assert.match(e.message, reason, what);
  }
  // The JSON serializer's exception form, {exc_type, exc_message, exc_module}, is read too.
  const jsonForm = new Map<PyValue, PyValue>([
    ["exc_type", "KeyError"],
    ["exc_message", new PyTuple(["k"])],
    ["exc_module", "builtins"],
  ]);
  const failed = parseTaskResult(
    "t",
    meta([
      ["status", "FAILURE"],
      ["result", jsonForm],
    ]),
  );
  assert.is(failed.exception?.message, "'k'");
});

test("a message whose body names os.system is refused by the allowlist, nothing called", () => {
  const marker = `/tmp/typed-pickle-celery-${process.pid}-message`;
  const hostile = runPython([
    "-c",
    `import os, pickle, sys
class Evil:
    def __reduce__(self):
        return (os.system, ("touch ${marker}",))
sys.stdout.write(pickle.dumps(((Evil(),), {}, {}), protocol=4).hex())`,
  ]);
  const message = JSON.stringify({ ...JSON.parse(celerys.add), body: Buffer.from(fromHex(hostile)).toString("base64") });
  const e = refusal(() => parseTaskMessage(message));
  assert.instance(e, UnpicklingError);
  assert.match(e.message, /global 'posix.system' is not allowed|global 'os.system' is not allowed/);
  assert.not.ok(existsSync(marker));
});

test.run();
