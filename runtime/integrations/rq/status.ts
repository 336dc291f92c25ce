// A job's status, as RQ's JobStatus names it (the `status` field of the job hash).
import { type RedisCommands, replyText } from "../redis/redis-client.ts";
import { RqProtocolError } from "./errors.ts";
import { jobKey } from "./keys.ts";

export const RQ_JOB_STATUSES = ["queued", "finished", "failed", "started", "deferred", "scheduled", "stopped", "canceled"] as const;

/** RQ 1.13's statuses; a later RQ may add others, which are returned as they are. */
export type RqJobStatus = (typeof RQ_JOB_STATUSES)[number] | (string & {});

/** The job's status, or null when the job is not in Redis (never enqueued, or expired). */
export async function jobStatus(redis: RedisCommands, id: string): Promise<RqJobStatus | null> {
  const key = jobKey(id);
  const reply = await redis.send(["HGET", key, "status"]);
  if (reply !== null && !(reply instanceof Uint8Array)) throw new RqProtocolError(key, "HGET status did not answer a string");
  let status: string | null;
  try {
    status = replyText(reply);
  } catch {
    throw new RqProtocolError(key, "field status is not UTF-8 text");
  }
  // A job hash without a status is one RQ is still writing, or not a job: either way, not a status.
  return status === "" ? null : status;
}
