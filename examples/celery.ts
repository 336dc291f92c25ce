// Send a task to a Celery worker (pickle serializer, Redis broker and result backend) and read its
// result: python/celery_app.py's tasks.add. Start the worker first:
//   cd python && CELERY_REDIS_URL=redis://127.0.0.1:6379/0 /usr/bin/python3 -m celery -A celery_app worker
//   CELERY_REDIS_URL=redis://127.0.0.1:6379/0 npx tsx examples/celery.ts
import { Redis } from "ioredis";
import { T } from "typed-pickle";
import { defineTask } from "typed-pickle/celery";
import { fromIoredis } from "typed-pickle/redis";

const add = defineTask({ name: "tasks.add", args: T.tuple(T.int, T.int), result: T.int });

const client = new Redis(process.env.CELERY_REDIS_URL ?? "redis://127.0.0.1:6379/0");
try {
  const redis = fromIoredis(client);
  const taskId = await add.send(redis, [2, 3]);
  const sum = await add.waitForResult(redis, taskId, { timeout: 30_000 });
  console.log(`tasks.add(2, 3) = ${sum}`);
} finally {
  client.disconnect();
}
