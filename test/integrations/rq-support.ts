// What the RQ suites share: Debian's python3 (where python3-rq 1.13 is installed; the python3 first
// on PATH lacks it), the Redis database they use (1: Django's and Celery's suites use 2 and 3), and
// a burst worker run once per batch of jobs.
import { execFileSync, spawn } from "node:child_process";
import { Redis } from "ioredis";
import { PYTHON_DIR } from "../support/python.ts";
import { redisPort } from "../support/redis-server.ts";

export const DEBIAN_PYTHON = "/usr/bin/python3";
export const RQ_DB = 1;

export const rqRedisUrl = (port: number) => `redis://127.0.0.1:${port}/${RQ_DB}`;

const pythonEnv = () => ({ ...process.env, PYTHONPATH: PYTHON_DIR, PYTHONHASHSEED: "0" });

/** An ioredis client on the RQ database; the database is emptied first. */
export async function rqIoredis(): Promise<Redis> {
  const client = new Redis({ port: await redisPort(), host: "127.0.0.1", db: RQ_DB, lazyConnect: true });
  await client.connect();
  await client.flushdb();
  return client;
}

/** Runs a python/ script with Debian's python3; returns stdout. */
export function runDebianPython(args: string[]): string {
  try {
    return execFileSync(DEBIAN_PYTHON, args, { cwd: PYTHON_DIR, encoding: "utf8", env: pythonEnv(), timeout: 60_000 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${DEBIAN_PYTHON} ${args.join(" ")} failed: ${err.stderr || err.message}`);
  }
}

/**
 * Runs an RQ worker in burst mode on `queues` until they are empty; resolves with its output. The
 * worker is killed if it outlives `timeoutMs` (a hang must not hang the suite).
 */
export function runBurstWorker(port: number, queues: string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = spawn(DEBIAN_PYTHON, ["-m", "rq.cli", "worker", "--burst", "--url", rqRedisUrl(port), ...queues], { cwd: PYTHON_DIR, env: pythonEnv() });
    let output = "";
    worker.stdout.on("data", (chunk) => (output += chunk));
    worker.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => worker.kill("SIGKILL"), timeoutMs);
    worker.on("error", (e) => (clearTimeout(timer), reject(e)));
    worker.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`rq worker exited with ${code ?? signal}:\n${output}`));
    });
  });
}
