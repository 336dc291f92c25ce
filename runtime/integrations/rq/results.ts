// A job's outcome as RQ stores it. RQ ≥ 1.12 (with Redis ≥ 5) adds one entry per run to the
// `rq:results:<id>` stream: `type` (1 successful, 2 failed, 3 stopped), `return_value` =
// base64(pickle(value)) when the value is not None, `exc_string` = base64(zlib(traceback)); the
// entry's id holds its time. Older RQ kept the outcome in the job hash: `result` = pickle(value),
// `exc_info` = zlib(traceback). Values are read with a typed codec when one is given, otherwise by
// the strict reader with the standard allowlist: nothing a pickle names is ever called.
import { loads } from "../../reader/unpickler.ts";
import type { PyValue } from "../../model/value.ts";
import type { Codec } from "../../typed/codec.ts";
import { loadsTyped, type TypedLoadOptions } from "../../typed/io.ts";
import { type RedisCommands, type RedisReply, replyPairs, replyText } from "../redis/redis-client.ts";
import { decompress, fromBase64, utf8Text } from "./encodings.ts";
import { lastLine, RqProtocolError } from "./errors.ts";
import { jobKey, resultsKey } from "./keys.ts";
import { parseRqTimestamp } from "./timestamps.ts";

/** The exception a traceback ends with: `ValueError: bad input` → type "ValueError", message "bad input". */
export interface RqException {
  readonly type: string;
  readonly message: string;
}

interface Outcome {
  /** The stream entry's id ("1733140000000-0"), or null for an outcome read from the job hash. */
  readonly id: string | null;
  /** When the outcome was stored (the stream entry's time, or the job's `ended_at`), if known. */
  readonly createdAt: Date | null;
}

export interface RqSuccess<T> extends Outcome {
  readonly type: "successful";
  readonly value: T;
}

export interface RqFailure extends Outcome {
  readonly type: "failed" | "stopped";
  /** The traceback RQ stored ("" when it stored none). */
  readonly excString: string;
  /** Its last line, split; null when there is no traceback. */
  readonly exception: RqException | null;
}

export type RqResult<T> = RqSuccess<T> | RqFailure;

export interface FetchResultOptions<T> {
  /** Reads the return value as this type; without it, the value model through the standard allowlist. */
  codec?: Codec<T> | undefined;
  /** Reader options (limits, strict attributes …). */
  load?: TypedLoadOptions | undefined;
  /** The most a compressed traceback may inflate to (bytes). */
  maxInflated?: number | undefined;
}

// pickle.dumps(None, protocol=5): RQ stores no return_value for None; it is read as this pickle, so
// a codec that does not allow None says so.
const NONE_PICKLE = new Uint8Array([0x80, 0x05, 0x4e, 0x2e]);

const RESULT_TYPES: Readonly<Record<string, RqResult<unknown>["type"]>> = { "1": "successful", "2": "failed", "3": "stopped" };

function decodeValue<T>(pickle: Uint8Array, options: FetchResultOptions<T>): T {
  if (options.codec) return loadsTyped(options.codec, pickle, options.load);
  return loads(pickle, { ...options.load, mode: "strict" }) as T;
}

export function parseException(excString: string): RqException | null {
  const last = lastLine(excString);
  if (!last) return null;
  const colon = last.indexOf(": ");
  // A bare `raise KeyError` ends with the class name alone.
  return colon < 0 ? { type: last, message: "" } : { type: last.slice(0, colon), message: last.slice(colon + 2) };
}

function failure(type: RqFailure["type"], excString: string, id: string | null, createdAt: Date | null): RqFailure {
  return { type, excString, exception: parseException(excString), id, createdAt };
}

/** The newest entry of the results stream, or null when there is none. */
function latestEntry(reply: RedisReply, key: string): { id: string; fields: Map<string, Uint8Array> } | null {
  if (!Array.isArray(reply)) throw new RqProtocolError(key, "XREVRANGE did not answer an array");
  if (reply.length === 0) return null;
  const entry = reply[0];
  if (!Array.isArray(entry) || entry.length !== 2 || !(entry[0] instanceof Uint8Array)) throw new RqProtocolError(key, "a stream entry is not [id, fields]");
  try {
    return { id: replyText(entry[0])!, fields: replyPairs(entry[1]!) };
  } catch (e) {
    throw new RqProtocolError(key, `a stream entry is malformed (${(e as Error).message})`);
  }
}

function fromStreamEntry<T>(key: string, id: string, fields: Map<string, Uint8Array>, options: FetchResultOptions<T>): RqResult<T> {
  const typeBytes = fields.get("type");
  const type = typeBytes && RESULT_TYPES[new TextDecoder().decode(typeBytes)];
  if (!type) throw new RqProtocolError(key, `entry ${id}: field type is not 1, 2 or 3`);
  const millis = Number(id.split("-")[0]);
  const createdAt = Number.isSafeInteger(millis) ? new Date(millis) : null;
  if (type === "successful") {
    const encoded = fields.get("return_value");
    const pickle = encoded === undefined ? NONE_PICKLE : fromBase64(encoded, key, "return_value");
    return { type, value: decodeValue(pickle, options), id, createdAt };
  }
  const encoded = fields.get("exc_string");
  // Python's `if exc_string:`: an empty field is no traceback.
  const excString =
    encoded === undefined || encoded.length === 0 ? "" : utf8Text(decompress(fromBase64(encoded, key, "exc_string"), key, "exc_string", options.maxInflated), key, "exc_string");
  return failure(type, excString, id, createdAt);
}

/** A traceback in the job hash: zlib since RQ 1.0; plain text before. */
function legacyTraceback(bytes: Uint8Array, key: string, maxInflated: number | undefined): string {
  let text: Uint8Array;
  try {
    text = decompress(bytes, key, "exc_info", maxInflated);
  } catch (e) {
    if (e instanceof RqProtocolError && e.reason.endsWith("is not zlib data")) text = bytes;
    else throw e;
  }
  return utf8Text(text, key, "exc_info");
}

/** The job hash's outcome fields (RQ before 1.12 keeps the result there; later ones only the status). */
async function readJobHash(redis: RedisCommands, id: string): Promise<(Uint8Array | null)[]> {
  const key = jobKey(id);
  const reply = await redis.send(["HMGET", key, "status", "result", "exc_info", "ended_at"]);
  if (!Array.isArray(reply) || reply.length !== 4) throw new RqProtocolError(key, "HMGET did not answer four values");
  return reply.map((r) => (r instanceof Uint8Array ? r : null));
}

function fromJobHash<T>(id: string, fields: (Uint8Array | null)[], options: FetchResultOptions<T>): RqResult<T> | null {
  const key = jobKey(id);
  const [status, result, excInfo, endedAt] = fields;
  const statusText = status ? utf8Text(status, key, "status") : null;
  const ended = endedAt ? parseRqTimestamp(utf8Text(endedAt, key, "ended_at"), key) : null;
  if (statusText === "finished") return { type: "successful", value: decodeValue(result ?? NONE_PICKLE, options), id: null, createdAt: ended };
  if (statusText === "failed" || statusText === "stopped") {
    return failure(statusText, excInfo ? legacyTraceback(excInfo, key, options.maxInflated) : "", null, ended);
  }
  return null;
}

/**
 * The job's latest outcome: its return value (typed by `codec`), or the traceback of a failed or
 * stopped run. Null while the job has none (queued, started, deferred, scheduled, or not in Redis).
 */
export async function fetchResult<T = PyValue>(redis: RedisCommands, id: string, options: FetchResultOptions<T> = {}): Promise<RqResult<T> | null> {
  const key = resultsKey(id);
  // The hash first, then the stream: a worker writes the status and the stream entry in one
  // transaction, so a status read first is never newer than the stream read after it. (In the other
  // order a job finishing between the two reads looked finished with no result: None.)
  const hash = await readJobHash(redis, id);
  const entry = latestEntry(await redis.send(["XREVRANGE", key, "+", "-", "COUNT", "1"]), key);
  if (entry) return fromStreamEntry(key, entry.id, entry.fields, options);
  return fromJobHash(id, hash, options);
}
