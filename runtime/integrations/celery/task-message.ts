// A Celery task message, protocol 2, as kombu's Redis transport pushes it: Celery's `as_task_v2`
// (celery/app/amqp.py) makes the headers, properties and body `(args, kwargs, embed)`; kombu pickles
// the body (protocol 4, kombu.serialization.pickle_protocol), and its virtual transport base64s it and
// adds body_encoding, delivery_tag and delivery_info (_inplace_augment_message) before the JSON
// envelope goes to the queue's list. Portable: no Node module.
import { PicklingError } from "../../errors.ts";
import { ReprTooLongError, pyRepr } from "../../format/repr.ts";
import { PyTuple } from "../../model/containers.ts";
import type { PyValue } from "../../model/value.ts";
import { dumps } from "../../writer/dump.ts";
import type { JsonValue } from "./python-json.ts";

export const PICKLE_CONTENT_TYPE = "application/x-python-serialize";
/** kombu pickles at protocol 4 (PICKLE_PROTOCOL in its environment can change it; Celery's default is this). */
export const KOMBU_PICKLE_PROTOCOL = 4;
export const DEFAULT_QUEUE = "celery";
/** The Redis transport's separator in priority queue names and binding entries (kombu.transport.redis). */
export const KOMBU_SEP = "\x06\x16";
/** kombu's Redis transport keeps one list per priority step; a message goes to the step at or below its priority. */
const PRIORITY_STEPS = [0, 3, 6, 9];
/** celery's argsrepr_maxsize / kwargsrepr_maxsize. */
const REPR_MAX = 1024;
/** kombu's default for a persistent message. */
const PERSISTENT = 2;

export interface TaskMessageOptions {
  /** The task id (a UUID by default). */
  taskId?: string | undefined;
  /** The queue the worker consumes (default "celery"). */
  queue?: string | undefined;
  /** Run no earlier than this (`eta`), or this many seconds from now (`countdown`). */
  eta?: Date | undefined;
  countdown?: number | undefined;
  /** Discard the task if it has not run by then: a date, or seconds from now. */
  expires?: Date | number | undefined;
  /** 0–9; Redis's transport files it under step 0, 3, 6 or 9 (0 is consumed first). Default 0. */
  priority?: number | undefined;
  retries?: number | undefined;
  /** Hard and soft time limits, seconds. */
  timeLimit?: number | undefined;
  softTimeLimit?: number | undefined;
  /** The name the worker logs instead of the task name. */
  shadow?: string | undefined;
  groupId?: string | undefined;
  groupIndex?: number | undefined;
  rootId?: string | undefined;
  parentId?: string | undefined;
  /** The reply queue (Celery's rpc:// backend uses it; the Redis backend does not). Default "". */
  replyTo?: string | undefined;
  /** Who sent it: `gen<pid>@<host>` by default, as Celery's anon_nodename. */
  origin?: string | undefined;
  ignoreResult?: boolean | undefined;
  /** What monitors show for the arguments: Python's repr of them by default (cut at 1024 characters, as Celery does). */
  argsrepr?: string | undefined;
  kwargsrepr?: string | undefined;
  /** More headers, merged over Celery's (as `send_task(headers=...)`). */
  headers?: Record<string, JsonValue> | undefined;
}

/** A message ready to push: the list's key and the JSON envelope. */
export interface BuiltTaskMessage {
  taskId: string;
  queue: string;
  /** The Redis list it goes to (the queue name, with a priority suffix above step 0). */
  queueKey: string;
  envelope: TaskEnvelope;
  /** The pickled body `(args, kwargs, embed)`, before base64. */
  body: Uint8Array;
}

export interface TaskEnvelope {
  [key: string]: JsonValue;
  body: string;
  "content-encoding": string;
  "content-type": string;
  headers: { [key: string]: JsonValue };
  properties: { [key: string]: JsonValue };
}

/** Python's `datetime.isoformat()` of an aware UTC datetime (Celery's eta and expires). */
export function utcIsoformat(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new TypeError("an invalid Date cannot be an eta or expiry");
  const iso = date.toISOString(); // 2026-12-02T10:30:00.123Z
  const ms = date.getUTCMilliseconds();
  return `${iso.slice(0, 19)}${ms ? `.${String(ms * 1000).padStart(6, "0")}` : ""}+00:00`;
}

function reprCut(value: PyValue): string {
  let text: string;
  try {
    text = pyRepr(value, 1 << 16);
  } catch (e) {
    if (!(e instanceof ReprTooLongError)) throw e;
    return "...";
  }
  return text.length > REPR_MAX ? `${text.slice(0, REPR_MAX - 3)}...` : text;
}

/** The Redis list of a queue at a priority (kombu's `_q_for_pri`). */
export function queueKeyFor(queue: string, priority: number): string {
  const clamped = Math.max(0, Math.min(9, Math.trunc(priority)));
  const step = PRIORITY_STEPS.filter((s) => s <= clamped).pop() ?? 0;
  return step ? `${queue}${KOMBU_SEP}${step}` : queue;
}

function seconds(what: string, n: number): number {
  if (!Number.isFinite(n)) throw new TypeError(`${what} must be a finite number of seconds, got ${n}`);
  return n;
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * The message for `name(*args, **kwargs)`. `args` is a tuple or list and `kwargs` a dict with str
 * keys, in the value model (typed callers convert through their codecs first).
 */
export function buildTaskMessage(
  name: string,
  args: PyValue,
  kwargs: PyValue,
  options: TaskMessageOptions & { origin: string; newId: () => string; now?: () => Date },
): BuiltTaskMessage {
  if (!(args instanceof PyTuple || Array.isArray(args))) throw new PicklingError("task args must be a list or tuple", "args");
  if (!(kwargs instanceof Map)) throw new PicklingError("task keyword arguments must be a dict", "kwargs");
  for (const key of kwargs.keys()) if (typeof key !== "string") throw new PicklingError(`keyword argument names must be str, got ${pyRepr(key, 60)}`, "kwargs");
  const now = options.now ?? (() => new Date());
  const taskId = options.taskId ?? options.newId();
  const queue = options.queue ?? DEFAULT_QUEUE;
  const priority = options.priority ?? 0;
  const eta = options.eta ?? (options.countdown ? new Date(now().getTime() + seconds("countdown", options.countdown) * 1000) : undefined);
  const expires = typeof options.expires === "number" ? new Date(now().getTime() + seconds("expires", options.expires) * 1000) : options.expires;
  const embed = new Map<PyValue, PyValue>([
    ["callbacks", null],
    ["errbacks", null],
    ["chain", null],
    ["chord", null],
  ]);
  const body = dumps(new PyTuple([args, kwargs, embed]), { protocol: KOMBU_PICKLE_PROTOCOL });
  const headers: { [key: string]: JsonValue } = {
    lang: "py",
    task: name,
    id: taskId,
    shadow: options.shadow ?? null,
    eta: eta ? utcIsoformat(eta) : null,
    expires: expires ? utcIsoformat(expires) : null,
    group: options.groupId ?? null,
    group_index: options.groupIndex ?? null,
    retries: options.retries ?? 0,
    timelimit: [options.timeLimit ?? null, options.softTimeLimit ?? null],
    root_id: options.rootId || taskId,
    parent_id: options.parentId ?? null,
    argsrepr: options.argsrepr ?? reprCut(args),
    kwargsrepr: options.kwargsrepr ?? reprCut(kwargs),
    origin: options.origin,
    ignore_result: options.ignoreResult ?? false,
    ...options.headers,
  };
  const envelope: TaskEnvelope = {
    body: base64(body),
    "content-encoding": "binary",
    "content-type": PICKLE_CONTENT_TYPE,
    headers,
    properties: {
      correlation_id: taskId,
      reply_to: options.replyTo ?? "",
      delivery_mode: PERSISTENT,
      // send_task turns expires into a message TTL (kombu: str(int(seconds * 1000)), 0 once past).
      ...(expires && { expiration: String(Math.trunc(Math.max(0, expires.getTime() - now().getTime()))) }),
      delivery_info: { exchange: "", routing_key: queue },
      priority,
      body_encoding: "base64",
      delivery_tag: options.newId(),
    },
  };
  return { taskId, queue, queueKey: queueKeyFor(queue, priority), envelope, body };
}
