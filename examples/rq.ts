// Enqueue a Python function from Node with RQ, then wait for its typed result.
//   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/rq.ts
// with a worker beside it that can import python/rq_tasks.py:
//   PYTHONPATH=python rq worker --url redis://127.0.0.1:6379   (Debian: /usr/bin/python3 -m rq.cli worker ...)
import { Redis } from "ioredis";
import { T } from "typed-pickle";
import { fromIoredis } from "typed-pickle/redis";
import { enqueue, resultValue, waitForResult } from "typed-pickle/rq";

async function main(): Promise<void> {
  const client = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  try {
    const redis = fromIoredis(client);
    // 2n and 3n are Python ints (a plain 2 would be the float 2.0).
    const job = await enqueue(redis, process.env.RQ_QUEUE ?? "default", "rq_tasks.add", [2n, 3n]);
    console.log(`enqueued ${job.description} as job ${job.id}`);
    const result = await waitForResult(redis, job.id, { codec: T.int, timeout: 30_000 });
    console.log(`result: ${resultValue(job.id, result)}`); // a failed job throws RqJobFailedError with its traceback
  } finally {
    client.disconnect();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
