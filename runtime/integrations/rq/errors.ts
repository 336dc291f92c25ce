// What the RQ integration raises: all PickleErrors, so one `catch (e instanceof PickleError)` covers
// bad data read from Redis as well as the pickles inside it.
import { PickleError } from "../../errors.ts";

/** Base of the RQ integration's errors. */
export class RqError extends PickleError {
  override name = "RqError";
}

/** An enqueue option RQ itself would refuse (a zero timeout, a negative ttl, a malformed duration). */
export class RqOptionError extends RqError {
  override name = "RqOptionError";
}

/** What Redis holds for a job is not what RQ writes: a missing field, bad base64, bad zlib, an unknown result type. */
export class RqProtocolError extends RqError {
  override name = "RqProtocolError";
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`${key}: ${reason}`);
  }
}

/** The job is not in Redis (never enqueued, or expired with its result ttl). */
export class RqNoSuchJobError extends RqError {
  override name = "RqNoSuchJobError";
  constructor(readonly jobId: string) {
    super(`no RQ job ${jobId} in Redis (never enqueued, or expired)`);
  }
}

/** waitForResult ran out of time; the job may still finish later. */
export class RqTimeoutError extends RqError {
  override name = "RqTimeoutError";
  constructor(
    readonly jobId: string,
    readonly timeoutMs: number,
    readonly status: string | null,
  ) {
    super(`RQ job ${jobId} has no result after ${timeoutMs} ms (status ${status ?? "unknown"})`);
  }
}

/** The job failed or was stopped in the worker; `excString` is the traceback RQ stored. */
export class RqJobFailedError extends RqError {
  override name = "RqJobFailedError";
  constructor(
    readonly jobId: string,
    readonly excString: string,
  ) {
    const last = lastLine(excString);
    super(`RQ job ${jobId} failed${last ? `: ${last}` : ""}`);
  }
}

/** The traceback's last non-empty line: `ValueError: bad input`. */
export function lastLine(text: string): string {
  const lines = text.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (line) return line;
  }
  return "";
}
