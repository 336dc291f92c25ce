// What the Celery integration throws. A message or result that is not what Celery writes is bad
// input (a PickleError, like every refusal of typed-pickle); a task that failed in Python and a wait
// that ran out are outcomes, not bad input, and are plain Errors with their own names.
import { PickleError } from "../../errors.ts";
import type { PythonException } from "../python-exception.ts";

/** A broker message or stored result that is not in the shape Celery (protocol 2, kombu's Redis transport) writes. */
export class CeleryFormatError extends PickleError {
  override name = "CeleryFormatError";
}

/** The task ended in FAILURE or REVOKED: the Python exception, read as data (its class name and arguments). */
export class TaskFailedError extends Error {
  override name = "TaskFailedError";
  constructor(
    readonly taskId: string,
    readonly status: string,
    readonly exception: PythonException,
    /** The traceback text the worker stored, if any. */
    readonly traceback: string | null,
  ) {
    super(`task ${taskId} ${status}: ${exception.className}: ${exception.message}`);
  }
}

/** `waitForResult` gave up: no ready result within the timeout. */
export class TaskTimeoutError extends Error {
  override name = "TaskTimeoutError";
  constructor(
    readonly taskId: string,
    readonly timeoutMs: number,
    /** The last state seen (PENDING when nothing was stored yet). */
    readonly lastStatus: string,
  ) {
    super(`task ${taskId}: no result within ${timeoutMs} ms (last state ${lastStatus})`);
  }
}
