// Node against a real Celery worker (Debian's python3-celery 5.2.6 on /usr/bin/python3, kombu 5.2.4) on a
// real redis-server, pickle as task and result serializer (python/celery_app.py): Node sends, the worker
// runs, Node reads the result — a plain value, a typed dataclass, a failure's exception as data — with
// both Redis clients; a hostile stored result is refused without calling anything; examples/celery.ts
// runs against the same worker. The worker is started once for the file and always killed.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PickleError, PyGlobal, PyTuple, T, UnpicklingError, defineClass, dictState, expectInstance, type PyValue } from "typed-pickle";
import { fromIoredis, fromNodeRedis, type RedisCommands } from "typed-pickle/redis";
import { defineTask, getResult, sendTask, TaskFailedError, TaskTimeoutError, waitForResult } from "typed-pickle/celery";
import { redisPort } from "../support/redis-server.ts";
import { PYTHON_DIR, fromHex, runPython } from "../support/python.ts";

const test = suite("integrations/celery");

const DB = 3; // the Celery suites' database (RQ and Django use 1 and 2)
const DEBIAN_PYTHON = "/usr/bin/python3";
const EXAMPLE = fileURLToPath(new URL("../../examples/celery.ts", import.meta.url));
/** Generous: the first task also waits for the worker to start (a few seconds on a busy machine). */
const FIRST_TASK_MS = 60_000;
const TASK_MS = 20_000;

let worker: ChildProcess | undefined;
let workerOutput = "";
let redisUrl = "";
let ioredis: Redis;
let nodeRedis: ReturnType<typeof createClient>;
let viaIoredis: RedisCommands;
let viaNodeRedis: RedisCommands;

/** Kills the worker's whole process group (it runs detached, as its own group): no orphan stays. */
function killWorker(signal: NodeJS.Signals = "SIGKILL"): void {
  if (worker?.pid === undefined || worker.exitCode !== null || worker.signalCode !== null) return;
  try {
    process.kill(-worker.pid, signal);
  } catch {
    // already gone
  }
}
process.once("exit", () => killWorker());

async function stopWorker(): Promise<void> {
  if (worker === undefined || worker.exitCode !== null || worker.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => worker!.once("exit", () => resolve()));
  killWorker("SIGTERM"); // a warm shutdown: the solo pool has no task running by now
  const late = setTimeout(() => killWorker("SIGKILL"), 5_000);
  await exited;
  clearTimeout(late);
}

function startWorker(): void {
  worker = spawn(
    DEBIAN_PYTHON,
    [
      "-m",
      "celery",
      "-A",
      "celery_app",
      "worker",
      "--pool=solo",
      "--concurrency=1",
      "-l",
      "warning",
      "--without-mingle",
      "--without-gossip",
      "--without-heartbeat",
      "-n",
      `typed-pickle-${process.pid}@%h`,
    ],
    {
      cwd: PYTHON_DIR,
      // C_FORCE_ROOT: CI runs as root, and Celery refuses to run a pickle-accepting worker as root without it.
      env: { ...process.env, PYTHONPATH: PYTHON_DIR, CELERY_REDIS_URL: redisUrl, C_FORCE_ROOT: "1" },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  worker.stdout!.on("data", (d) => (workerOutput += d));
  worker.stderr!.on("data", (d) => (workerOutput += d));
}

const add = defineTask({ name: "tasks.add", args: T.tuple(T.int, T.int), result: T.int });

class Point {
  x = 0;
  y = 0;
  label = "";
}
const POINT = new PyGlobal("celery_app", "Point");
const PointCodec = defineClass<Point>({
  global: POINT,
  state: "dict",
  fields: () => [T.int, T.str],
  toPy: () => null,
  fromPy(input, ctx) {
    const state = dictState(expectInstance(input, POINT, ctx), ctx);
    return Object.assign(new Point(), {
      x: T.int.fromPy(state.get("x") ?? null, ctx),
      y: T.int.fromPy(state.get("y") ?? null, ctx),
      label: T.str.fromPy(state.get("label") ?? null, ctx),
    });
  },
});

test.before(async () => {
  const port = await redisPort();
  redisUrl = `redis://127.0.0.1:${port}/${DB}`;
  ioredis = new Redis({ port, host: "127.0.0.1", db: DB, lazyConnect: true });
  await ioredis.connect();
  nodeRedis = createClient({ socket: { port, host: "127.0.0.1" }, database: DB });
  await nodeRedis.connect();
  viaIoredis = fromIoredis(ioredis);
  viaNodeRedis = fromNodeRedis(nodeRedis);
  await viaIoredis.send(["FLUSHDB"]);
  startWorker();
});

test.after(async () => {
  await stopWorker();
  ioredis?.disconnect();
  await nodeRedis?.close();
});

/** Waits, reporting the worker's output if it died or never answered. */
async function waited<T>(run: Promise<T>): Promise<T> {
  try {
    return await run;
  } catch (e) {
    if (e instanceof TaskTimeoutError || worker?.exitCode !== null) throw new Error(`${(e as Error).message}\nworker output:\n${workerOutput}`);
    throw e;
  }
}

test("ioredis: Node sends add(2, 3) (typed args), the worker's result reads 5", async () => {
  const id = await add.send(viaIoredis, [2, 3]);
  assert.is(await waited(add.waitForResult(viaIoredis, id, { timeout: FIRST_TASK_MS })), 5);
  const stored = await add.getResult(viaIoredis, id);
  assert.is(stored.status, "SUCCESS");
  assert.is(stored.ready, true);
  assert.is(stored.taskId, id);
  assert.match(stored.dateDone ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  assert.is(stored.traceback, null);
});

test("node-redis: untyped sendTask and waitForResult (ints are bigints in the value model)", async () => {
  const id = await sendTask(viaNodeRedis, "tasks.add", [2n, 3n]);
  assert.is(await waited(waitForResult(viaNodeRedis, id, { timeout: TASK_MS })), 5n);
});

test("a typed result: the task's dataclass read through its codec; another codec refuses it", async () => {
  const makePoint = defineTask({ name: "tasks.make_point", args: T.tuple(T.int, T.int), kwargs: T.record(T.str), result: PointCodec });
  const id = await makePoint.send(viaIoredis, [1, 2], { label: "é" });
  const point = await waited(makePoint.waitForResult(viaIoredis, id, { timeout: TASK_MS }));
  assert.instance(point, Point);
  assert.equal({ ...point }, { x: 1, y: 2, label: "é" });
  try {
    await getResult(viaIoredis, id, { codec: T.int });
    assert.unreachable("read as an int");
  } catch (e) {
    assert.instance(e, UnpicklingError);
    assert.match((e as Error).message, /global 'celery_app.Point' is not allowed/);
  }
});

test("the worker receives exactly what Node sent (bytes, big ints, floats, tuples, datetimes, nested dicts)", async () => {
  const args = [2n, 1.5, "é", new Uint8Array([0, 255]), 2n ** 70n, new PyTuple([null, true])] as PyValue[];
  const kwargs = { nested: new Map<PyValue, PyValue>([["k", [1n, "v"]]]) };
  const id = await sendTask(viaNodeRedis, "tasks.echo", args, kwargs);
  const echoed = await waited(waitForResult(viaNodeRedis, id, { timeout: TASK_MS }));
  assert.equal(echoed, [args, new Map(Object.entries(kwargs))]);
});

test("a failing task: TaskFailedError with the Python class and message, read as data", async () => {
  const fail = defineTask({ name: "tasks.fail", args: T.tuple(T.str) });
  const id = await fail.send(viaNodeRedis, ["boom: é"]);
  try {
    await waited(fail.waitForResult(viaNodeRedis, id, { timeout: TASK_MS }));
    assert.unreachable("succeeded");
  } catch (e) {
    assert.instance(e, TaskFailedError);
    const failed = e as TaskFailedError;
    assert.is(failed.status, "FAILURE");
    assert.is(failed.exception.module, "builtins");
    assert.is(failed.exception.name, "ValueError");
    assert.is(failed.exception.className, "ValueError");
    assert.is(failed.exception.message, "boom: é");
    assert.equal(failed.exception.args, ["boom: é"]);
    assert.match(failed.traceback ?? "", /ValueError: boom: é\n$/);
    assert.is(failed.message, `task ${id} FAILURE: ValueError: boom: é`);
  }
  const stored = await getResult(viaIoredis, id);
  assert.is(stored.status, "FAILURE");
  assert.is(stored.exception?.name, "ValueError");
});

test("the application's own exception class (on no list) is read as data: class, args, attributes", async () => {
  const id = await sendTask(viaIoredis, "tasks.decline", [12n]);
  try {
    await waited(waitForResult(viaIoredis, id, { timeout: TASK_MS }));
    assert.unreachable("succeeded");
  } catch (e) {
    assert.instance(e, TaskFailedError);
    const { exception } = e as TaskFailedError;
    assert.is(exception.className, "celery_app.PaymentDeclined");
    assert.equal(exception.args, ["card declined", 12n]);
    assert.is(exception.message, "('card declined', 12)");
    assert.equal(exception.attributes, new Map([["code", "card"]]));
  }
  // Listed, it is read by the strict pass itself; with unlisted exceptions refused, it is refused.
  const listed = await getResult(viaIoredis, id, { exceptionClasses: ["celery_app.PaymentDeclined"], unlistedExceptions: false });
  assert.is(listed.exception?.className, "celery_app.PaymentDeclined");
  try {
    await getResult(viaIoredis, id, { unlistedExceptions: false });
    assert.unreachable("read");
  } catch (e) {
    assert.instance(e, UnpicklingError);
    assert.match((e as Error).message, /global 'celery_app.PaymentDeclined' is not allowed/);
  }
});

test("an exception that does not pickle: Celery's wrapper is read as the exception it stands for", async () => {
  const id = await sendTask(viaNodeRedis, "tasks.fail_unpicklable");
  const failed = await waited(
    waitForResult(viaNodeRedis, id, { timeout: TASK_MS }).then(
      () => null,
      (e: unknown) => e,
    ),
  );
  assert.instance(failed, TaskFailedError);
  const stored = await getResult(viaNodeRedis, id);
  assert.is(stored.status, "FAILURE");
  assert.is(stored.exception?.className, "RuntimeError");
  assert.is(stored.exception?.args[0], "no pickle for this");
  assert.match(String(stored.exception?.args[1]), /^<function fail_unpicklable.<locals>.<lambda> at 0x/);
  assert.match(stored.exception?.unpickleableRepr ?? "", /^RuntimeError\('no pickle for this', <function fail_unpicklable/);
  assert.is(stored.exception?.attributes, null);
});

test("an unknown task id is PENDING; waiting for it times out with TaskTimeoutError", async () => {
  assert.is((await getResult(viaIoredis, "no-such-task")).status, "PENDING");
  try {
    await waitForResult(viaIoredis, "no-such-task", { timeout: 150, interval: 50 });
    assert.unreachable("resolved");
  } catch (e) {
    assert.instance(e, TaskTimeoutError);
    assert.is((e as TaskTimeoutError).lastStatus, "PENDING");
  }
});

test("a hostile stored result naming os.system (as the value, the exception, an exception's argument, beside an exception) is refused, nothing called", async () => {
  const marker = `/tmp/typed-pickle-celery-${process.pid}-result`;
  const pickles: string[] = JSON.parse(
    runPython([
      "-c",
      `import json, os, pickle
class Evil:
    def __reduce__(self):
        return (os.system, ("touch ${marker}",))
class Fake(Exception):
    pass
meta = lambda status, result: {"status": status, "result": result, "traceback": None, "children": [], "date_done": None, "task_id": "x"}
cases = [meta("SUCCESS", Evil()), meta("FAILURE", Evil()), meta("FAILURE", Fake("x", Evil())), {**meta("FAILURE", Fake("x")), "children": [Evil()]}]
print(json.dumps([pickle.dumps(m, protocol=4).hex() for m in cases]))`,
    ]),
  );
  for (const [i, hex] of pickles.entries()) {
    await viaIoredis.send(["SET", "celery-task-meta-x", fromHex(hex)]);
    for (const redis of [viaIoredis, viaNodeRedis]) {
      try {
        await getResult(redis, "x");
        assert.unreachable("read");
      } catch (e) {
        assert.instance(e, PickleError, `pickle ${i}`);
        // The strict read stops at the first name not allowed: the exception class when there is one.
        assert.match((e as Error).message, i < 2 ? /global '(posix|os)\.system' is not allowed/ : /global '__main__\.Fake' is not allowed/);
      }
    }
  }
  assert.not.ok(existsSync(marker));
});

test("examples/celery.ts sends add(2, 3) and prints 5", async () => {
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ["--import", "tsx", EXAMPLE], { env: { ...process.env, CELERY_REDIS_URL: redisUrl }, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
  assert.is(out, "tasks.add(2, 3) = 5\n");
});

test.run();
