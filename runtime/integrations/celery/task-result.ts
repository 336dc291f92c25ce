// Task results in Celery's Redis result backend: `celery-task-meta-<id>` holds the pickle (with the
// pickle result serializer) of `{status, result, traceback, children, date_done, task_id, ...}`
// (celery/backends/base.py `_store_result`), SET with an expiry. The dict is read strictly: the
// result through the caller's codec (its classes are the only ones allowed), a failure's exception
// through the exception allowlist as class name and args. Nothing named in the pickle is called.
import { UnpicklingError } from "../../errors.ts";
import type { PyValue } from "../../model/value.ts";
import type { RedisCommands } from "../redis/redis-client.ts";
import { any, type Codec, FromPy, type ToPy } from "../../typed/codec.ts";
import { loadsTyped, registryFor, type TypedLoadOptions } from "../../typed/io.ts";
import { CeleryFormatError, TaskFailedError, TaskTimeoutError } from "./errors.ts";
import { PythonException } from "../python-exception.ts";
import { exceptionFromDict, exceptionRegistry } from "./stored-exception.ts";
import { EXCEPTION_STATES, metaWithUnlistedException } from "./unlisted-exception.ts";

/** Celery's key prefix for task results. */
export const TASK_META_PREFIX = "celery-task-meta-";
/** States after which nothing changes (celery.states.READY_STATES). */
const READY_STATES = new Set(["SUCCESS", "FAILURE", "REVOKED"]);

/** The stored state of a task. */
export interface TaskResult<T> {
  taskId: string;
  /** PENDING (nothing stored: unknown or not started), STARTED, RETRY, SUCCESS, FAILURE, REVOKED, or a custom state. */
  status: string;
  /** True in SUCCESS, FAILURE and REVOKED: the state is final. */
  ready: boolean;
  /** SUCCESS: the return value, through the codec. */
  value?: T | undefined;
  /** FAILURE, RETRY, REVOKED: the exception, as data. */
  exception?: PythonException | undefined;
  /** Any other state: what the task stored with it (`update_state(meta=...)`), read strictly. */
  info?: PyValue | undefined;
  traceback: string | null;
  /** ISO date the worker stored (UTC, naive, as Python's isoformat), null while not ready. */
  dateDone: string | null;
  children: PyValue;
  /** The other keys Celery may store: group_id, parent_id, and with result_extended name, args, kwargs, worker, retries, queue. */
  extra: Map<string, PyValue>;
}

export interface ResultOptions<T> extends TypedLoadOptions {
  /** The result's type; any pickle value (standard types only) when absent. */
  codec?: Codec<T> | undefined;
  /**
   * Exception classes of the application (`myapp.errors.PaymentDeclined`) a failure may carry,
   * beyond Python's built-in ones and Celery's: read like those, wherever they appear.
   */
  exceptionClasses?: readonly string[] | undefined;
  /**
   * Also read a failure's exception of a class on no list, as data (class name, args, attributes;
   * nothing is imported or called), when it is the only unknown name in the stored meta and looks
   * like a class (CapWords). Default true; false refuses it.
   */
  unlistedExceptions?: boolean | undefined;
}

/** The meta as stored: its task_id may be missing. */
type StoredMeta<T> = Omit<TaskResult<T>, "taskId"> & { taskId: string | null };

function text(v: PyValue | undefined, what: string, ctx: FromPy): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === "string") return v;
  return ctx.expected(`str for ${what}`, v);
}

/** The stored dict as one codec, so that a typed load reads the whole pickle with one allowlist. */
function metaCodec<T>(result: Codec<T>, exceptionClasses: readonly string[]): Codec<StoredMeta<T>> {
  return {
    describe: "celery task meta",
    parts: () => [result],
    globals: exceptionRegistry(exceptionClasses),
    toPy(_value: unknown, ctx: ToPy): PyValue {
      return ctx.fail("task results are written by the worker");
    },
    fromPy(meta, ctx) {
      if (!(meta instanceof Map)) return ctx.expected("a dict (Celery's task meta)", meta);
      const status = meta.get("status");
      if (typeof status !== "string") return ctx.expected("str for status", status ?? null);
      const extra = new Map<string, PyValue>();
      for (const [k, v] of meta) {
        if (typeof k !== "string") return ctx.expected("str keys in the task meta", k);
        if (!["status", "result", "traceback", "children", "date_done", "task_id"].includes(k)) extra.set(k, v);
      }
      const out: StoredMeta<T> = {
        taskId: text(meta.get("task_id"), "task_id", ctx),
        status,
        ready: READY_STATES.has(status),
        traceback: text(meta.get("traceback"), "traceback", ctx),
        dateDone: text(meta.get("date_done"), "date_done", ctx),
        children: meta.get("children") ?? null,
        extra,
      };
      const stored = meta.get("result") ?? null;
      ctx.trail.in("result");
      if (status === "SUCCESS") out.value = result.fromPy(stored, ctx);
      else if (EXCEPTION_STATES.has(status)) {
        const exception = (stored as unknown) instanceof PythonException ? (stored as unknown as PythonException) : stored instanceof Map ? exceptionFromDict(stored) : null;
        if (exception === null) return ctx.expected(`an exception for state ${status}`, stored);
        out.exception = exception;
      } else out.info = stored;
      ctx.trail.out();
      return out;
    },
  };
}

const metaCodecs = new WeakMap<Codec<unknown>, Codec<unknown>>();

function codecFor<T>(options: ResultOptions<T>) {
  const result = (options.codec ?? any) as Codec<T>;
  if (options.exceptionClasses?.length) return metaCodec(result, options.exceptionClasses);
  let codec = metaCodecs.get(result);
  if (codec === undefined) metaCodecs.set(result, (codec = metaCodec(result, [])));
  return codec as ReturnType<typeof metaCodec<T>>;
}

/** Reads a stored task meta (the value of `celery-task-meta-<id>`). */
export function parseTaskResult<T = PyValue>(taskId: string, stored: Uint8Array, options: ResultOptions<T> = {}): TaskResult<T> {
  const { codec: _, exceptionClasses: __, unlistedExceptions = true, ...loadOptions } = options;
  const codec = codecFor(options);
  let meta: ReturnType<typeof codec.fromPy>;
  try {
    meta = loadsTyped(codec, stored, loadOptions);
  } catch (e) {
    if (!unlistedExceptions || !(e instanceof UnpicklingError) || !e.reason.includes(" is not allowed")) throw e;
    const read = metaWithUnlistedException(stored, registryFor(codec), loadOptions);
    if (read === null) throw e;
    const ctx = new FromPy("$", loadOptions.strict ?? false);
    meta = codec.fromPy(read, ctx);
    ctx.runHooks();
  }
  if (meta.taskId !== null && meta.taskId !== taskId) throw new CeleryFormatError(`the result stored for task ${taskId} names task ${meta.taskId}`);
  return { ...meta, taskId };
}

/** The task's state and result now (PENDING when nothing is stored under its key). */
export async function getResult<T = PyValue>(redis: RedisCommands, taskId: string, options: ResultOptions<T> = {}): Promise<TaskResult<T>> {
  const stored = await redis.send(["GET", `${TASK_META_PREFIX}${taskId}`]);
  if (stored === null) return { taskId, status: "PENDING", ready: false, traceback: null, dateDone: null, children: [], extra: new Map() };
  if (!(stored instanceof Uint8Array)) throw new CeleryFormatError(`${TASK_META_PREFIX}${taskId} is not a string value`);
  return parseTaskResult(taskId, stored, options);
}

export interface WaitOptions<T> extends ResultOptions<T> {
  /** Give up after this many milliseconds (default 30 000). */
  timeout?: number | undefined;
  /** Poll every this many milliseconds (default 100). */
  interval?: number | undefined;
}

/**
 * Polls until the task is ready: its value on SUCCESS; TaskFailedError (with the Python exception's
 * class name and message) on FAILURE or REVOKED; TaskTimeoutError when the timeout passes first.
 */
export async function waitForResult<T = PyValue>(redis: RedisCommands, taskId: string, options: WaitOptions<T> = {}): Promise<T> {
  const { timeout = 30_000, interval = 100, ...resultOptions } = options;
  const deadline = Date.now() + timeout;
  for (;;) {
    const result = await getResult(redis, taskId, resultOptions);
    if (result.status === "SUCCESS") return result.value as T;
    if (result.ready) throw new TaskFailedError(taskId, result.status, result.exception!, result.traceback);
    if (Date.now() >= deadline) throw new TaskTimeoutError(taskId, timeout, result.status);
    await new Promise((resolve) => setTimeout(resolve, Math.min(interval, Math.max(0, deadline - Date.now()))));
  }
}
