// The bytes of a Django Redis cache value, as RedisSerializer (django/core/cache/backends/redis.py)
// makes and reads them: an int (`type(obj) is int`, so not a bool) is stored as its decimal text,
// for INCR; anything else is `pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)`. Reading tries `int(data)`
// first and unpickles only what is not an int's text. Unpickling here never calls anything: values
// are read through a codec's allowlist or the strict standard one.
import { OP } from "../../opcodes.ts";
import type { PyValue } from "../../model/value.ts";
import { loads, type ReadOptions } from "../../reader/unpickler.ts";
import type { Codec } from "../../typed/codec.ts";
import { dumpsTyped, loadsTyped, type TypedLoadOptions } from "../../typed/io.ts";
import { dumps } from "../../writer/dump.ts";
import { HIGHEST_PROTOCOL, type WriteOptions } from "../../writer/write-options.ts";

/** RedisSerializer's protocol: `pickle.HIGHEST_PROTOCOL`, 5 on every Python Django 5.2 runs on. */
export const DJANGO_PICKLE_PROTOCOL = HIGHEST_PROTOCOL;

/** Python's `sys.get_int_max_str_digits()` default: a longer decimal text is not an int to `int()`. */
const MAX_INT_DIGITS = 4300;

const isDigit = (b: number) => b >= 0x30 && b <= 0x39;
// Python's whitespace for int(): \t \n \v \f \r and space.
const isSpace = (b: number) => b === 0x20 || (b >= 0x09 && b <= 0x0d);

/**
 * What Python's `int(data)` makes of bytes (base 10): optional whitespace around an optional sign and
 * digits, single underscores between digits; undefined where `int()` raises ValueError.
 */
export function pythonIntOf(data: Uint8Array): bigint | undefined {
  let start = 0;
  let end = data.length;
  while (start < end && isSpace(data[start]!)) start++;
  while (end > start && isSpace(data[end - 1]!)) end--;
  let negative = false;
  if (start < end && (data[start] === 0x2b || data[start] === 0x2d)) negative = data[start++] === 0x2d;
  let digits = "";
  for (let i = start; i < end; i++) {
    const b = data[i]!;
    if (isDigit(b)) digits += String.fromCharCode(b);
    else if (b !== 0x5f || i === start || i === end - 1 || !isDigit(data[i - 1]!) || !isDigit(data[i + 1]!)) return undefined;
  }
  if (digits.length === 0 || digits.length > MAX_INT_DIGITS) return undefined;
  const value = BigInt(digits);
  return negative ? -value : value;
}

/** A cache value from the value model: an int's text as a bigint, else the pickle read in strict mode. */
export function readCacheValue(data: Uint8Array, options: Omit<ReadOptions, "mode"> = {}): PyValue {
  const int = pythonIntOf(data);
  if (int !== undefined) return int;
  return loads(data, { ...options, mode: "strict" });
}

/**
 * A cache value through a codec. An int's text is read as the pickle of that int would be, so the
 * codec accepts or refuses it exactly as it does a pickled int.
 */
export function readTypedCacheValue<T>(codec: Codec<T>, data: Uint8Array, options: TypedLoadOptions = {}): T {
  const int = pythonIntOf(data);
  return loadsTyped(codec, int === undefined ? data : dumps(int, { protocol: DJANGO_PICKLE_PROTOCOL }), options);
}

export type CacheWriteOptions = Omit<WriteOptions, "protocol"> & {
  /** RedisSerializer's protocol; change it only if the Django side has a serializer with another. */
  protocol?: number | undefined;
};

/** The bytes Django stores for a value of the value model (ints as decimal text). */
export function cacheValueBytes(value: PyValue, options: CacheWriteOptions = {}): Uint8Array {
  return rawIntInstead(dumps(value, withProtocol(options)));
}

/** The bytes Django stores for a typed value (a value the codec writes as an int, as decimal text). */
export function typedCacheValueBytes<T>(codec: Codec<T>, value: T, options: CacheWriteOptions = {}): Uint8Array {
  return rawIntInstead(dumpsTyped(codec, value, withProtocol(options)));
}

function withProtocol(options: CacheWriteOptions): WriteOptions {
  return { ...options, protocol: options.protocol ?? DJANGO_PICKLE_PROTOCOL };
}

const FRAME_LENGTH = 9;

/** Where the argument of an int opcode at `at` ends, or -1 if the opcode there makes no int. */
function intArgumentEnd(pickle: Uint8Array, at: number): number {
  const view = new DataView(pickle.buffer, pickle.byteOffset, pickle.byteLength);
  switch (pickle[at]) {
    case OP.BININT1:
      return at + 2;
    case OP.BININT2:
      return at + 3;
    case OP.BININT:
      return at + 5;
    case OP.LONG1:
      return at + 2 + (pickle[at + 1] ?? 0);
    case OP.LONG4:
      return at + 5 + (at + 5 <= pickle.length ? view.getUint32(at + 1, true) : 0);
    case OP.INT: // protocols 0/1 (I01/I00 are bools: read back below)
    case OP.LONG:
      return pickle.indexOf(0x0a, at) + 1;
    default:
      return -1;
  }
}

/**
 * Django never pickles an int: where the pickle is of a lone int, its decimal text (what redis-py
 * sends for a Python int), if Python's int() takes it back. The few bytes of such a pickle are read back to tell an int from a bool
 * written as `I01` at protocol 0.
 */
function rawIntInstead(pickle: Uint8Array): Uint8Array {
  let at = pickle[0] === OP.PROTO ? 2 : 0;
  if (pickle[at] === OP.FRAME) at += FRAME_LENGTH;
  const end = intArgumentEnd(pickle, at);
  if (end <= 0 || end !== pickle.length - 1 || pickle[end] !== OP.STOP) return pickle;
  const value = loads(pickle, { limits: { maxIntDigits: Infinity } }); // our own bytes: every digit wanted
  if (typeof value !== "bigint") return pickle;
  const text = value.toString();
  // Past Python's digit limit int() refuses the text, so Django would fail to read it; the pickle it reads.
  return text.length - (value < 0n ? 1 : 0) > MAX_INT_DIGITS ? pickle : new TextEncoder().encode(text);
}
