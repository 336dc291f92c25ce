// examples/rq.ts runs as written against the test redis-server: it enqueues add(2, 3) and waits;
// once its job is queued, a burst RQ worker runs it, and the example prints the result.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { redisPort } from "../support/redis-server.ts";
import { rqIoredis, rqRedisUrl, runBurstWorker } from "./rq-support.ts";

const test = suite("integrations/rq-example");

const EXAMPLE = fileURLToPath(new URL("../../examples/rq.ts", import.meta.url));

test("examples/rq.ts prints add(2, 3)'s result once a worker ran it", async () => {
  const client = await rqIoredis();
  const port = await redisPort();
  const example = spawn(process.execPath, ["--import", "tsx", EXAMPLE], { env: { ...process.env, REDIS_URL: rqRedisUrl(port), RQ_QUEUE: "example" } });
  let output = "";
  example.stdout.on("data", (chunk) => (output += chunk));
  example.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => example.on("close", resolve));
  try {
    // The worker runs in burst mode: start it once the job is there, or it finds nothing and stops.
    const deadline = Date.now() + 30_000;
    while ((await client.llen("rq:queue:example")) === 0) {
      assert.ok(Date.now() < deadline && example.exitCode === null, `the example enqueued nothing:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await runBurstWorker(port, ["example"]);
    assert.is(await exited, 0, output);
    assert.match(output, /^enqueued rq_tasks\.add\(2, 3\) as job [0-9a-f-]{36}\nresult: 5\n$/);
  } finally {
    if (example.exitCode === null) example.kill();
    client.disconnect();
  }
});

test.run();
