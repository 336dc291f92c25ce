// Node as the worker: Celery 5.2.6 (Debian's, on /usr/bin/python3) sends tasks with its own API to a
// queue Node consumes; Node runs them and stores the outcomes in the Redis result backend; Celery's
// AsyncResult.get() reads them back — a value, and an exception it re-raises.
import { spawn } from "node:child_process";
import { Redis } from "ioredis";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { PyTuple, PyValue } from "typed-pickle";
import { fromIoredis, type RedisCommands } from "typed-pickle/redis";
import { receiveTask, storeFailure, storeResult } from "typed-pickle/celery";
import { redisPort } from "../support/redis-server.ts";
import { PYTHON_DIR } from "../support/python.ts";

const test = suite("integrations/celery-consumer");

const DB = 3; // the Celery suites' database (RQ and Django use 1 and 2)
const QUEUE = `typed-pickle-node-worker-${process.pid}`;

let client: Redis;
let redis: RedisCommands;

test.before(async () => {
  const port = await redisPort();
  client = new Redis({ port, host: "127.0.0.1", db: DB, lazyConnect: true });
  await client.connect();
  redis = fromIoredis(client);
});

test.after(() => {
  client?.disconnect();
});

/** Runs python/celery_node_peer.py; resolves with its JSON line. */
function pythonProducer(port: number): { done: Promise<Record<string, string>>; kill: () => void } {
  const child = spawn("/usr/bin/python3", ["celery_node_peer.py", QUEUE], {
    cwd: PYTHON_DIR,
    env: { ...process.env, PYTHONPATH: PYTHON_DIR, CELERY_REDIS_URL: `redis://127.0.0.1:${port}/${DB}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const done = new Promise<Record<string, string>>((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`celery_node_peer.py exited ${code}: ${err}`)))),
  );
  return { done, kill: () => child.exitCode === null && child.kill("SIGKILL") };
}

test("Celery sends, Node runs and stores, Celery's AsyncResult.get() reads a value and re-raises an exception", async () => {
  const producer = pythonProducer(await redisPort());
  try {
    const seen: string[] = [];
    for (let i = 0; i < 2; i++) {
      const message = await receiveTask(redis, { queue: QUEUE, timeout: 30 });
      assert.ok(message, "a task arrived");
      seen.push(message.task);
      const args = (message.args as PyTuple).items;
      if (message.task === "node.multiply") {
        assert.equal(args, [6n, 7n]);
        const scale = (message.kwargs as Map<PyValue, PyValue>).get("scale") as number;
        await storeResult(redis, message.id, Number(args[0]) * Number(args[1]) * scale);
      } else {
        assert.equal(args, [1n, 0n]);
        await storeFailure(redis, message.id, { exceptionClass: "ZeroDivisionError", args: ["division by zero"], traceback: "raised in Node" });
      }
    }
    assert.equal(seen, ["node.multiply", "node.divide"]);
    assert.equal(await producer.done, { multiply: "63.0", divide: "ZeroDivisionError('division by zero')" });
  } finally {
    producer.kill();
  }
});

test("receiveTask gives null when no message comes within the timeout", async () => {
  assert.is(await receiveTask(redis, { queue: `${QUEUE}-empty`, timeout: 0.1 }), null);
});

test.run();
