// What every way of writing a pickle shares: the output, the protocol, the memo, and the opcodes of
// the scalars (int, float, str), as CPython's C pickler writes them (Modules/_pickle.c: memo_put,
// memo_get, save_long, save_float, save_unicode). The save loop (pickler.ts) and the direct-write API
// of generated codecs (direct-writer.ts) both build on it, so a value written either way gets the
// same bytes and the same memo index.
import { PicklingError } from "../errors.ts";
import type { PyGlobal } from "../model/objects.ts";
import { OP } from "../opcodes.ts";
import { floatRepr } from "../format/float-repr.ts";
import { hasLoneSurrogate, encodeUtf8, encodeUtf8Into } from "../utf8.ts";
import { writeUtf8 } from "../host-bytes.ts";
import type { StringIdentity } from "./global-names.ts";
import { PickleOutput, type Sink } from "./output.ts";
import { FRESH, type MemoKey } from "./reduction.ts";
import { DEFAULT_PROTOCOL, HIGHEST_PROTOCOL, type WriteOptions } from "./write-options.ts";

/**
 * CPython's BATCHSIZE: a list's, set's or dict's items go in batches of at most this many
 * (MARK … APPENDS / ADDITEMS / SETITEMS). Every batching loop of the writer counts with it.
 */
export const BATCHSIZE = 1000;

/**
 * Strings up to this many UTF-16 units are UTF-8 encoded by a JS loop, longer ones by the host's
 * encoder: its call costs ~150 ns under Node (Buffer#utf8Write), what the loop spends on ~20 units.
 */
const UTF8_LOOP_MAX = 16;

/** The line end of protocol 0's text opcodes. */
const NEWLINE = 0x0a;

/** A PicklingError about `offending`: the pickler adds the path to it (value-path.ts). */
export function refuse(reason: string, offending: unknown): never {
  const e = new PicklingError(reason);
  e.offending = { value: offending };
  throw e;
}

/** The memo key of a global: one entry per `module.qualname`, however many PyGlobal objects name it. */
export function globalKey(g: PyGlobal): string {
  return "global:" + g.qualifiedName;
}

export abstract class PickleWriter {
  readonly out: PickleOutput;
  protected readonly proto: number;
  /** Protocol 1 and up: binary opcodes (protocol 0 writes text). */
  protected readonly bin: boolean;
  protected readonly options: WriteOptions;
  protected readonly autoNumbers: boolean;
  /** Memo indices of objects, by identity. */
  protected readonly objMemo = new Map<object, number>();
  /** Memo indices of interned strs, by value. */
  protected readonly strMemo = new Map<string, number>();
  /** Memo indices of values CPython shares by value (globals, b'', timezone.utc, …), by key string. */
  protected readonly keyMemo = new Map<string, number>();
  private memoCount = 0;
  /** Set when the output handed a chunk to the sink (the save loop returns so a caller can wait). */
  protected flushedChunk = false;

  constructor(options: WriteOptions, sink: Sink | null) {
    const proto = options.protocol ?? DEFAULT_PROTOCOL;
    if (!Number.isInteger(proto) || proto < 0 || proto > HIGHEST_PROTOCOL) {
      throw new PicklingError(`pickle protocol must be an integer from 0 to ${HIGHEST_PROTOCOL}, not ${proto}`);
    }
    if (options.bufferCallback && proto < 5) throw new PicklingError("bufferCallback needs protocol >= 5");
    this.proto = proto;
    this.bin = proto > 0;
    this.options = options;
    this.autoNumbers = options.numbers === "auto";
    this.out = new PickleOutput(
      sink &&
        ((chunk) => {
          this.flushedChunk = true;
          sink(chunk);
        }),
    );
  }

  /** PROTO (protocol 2+), and framing from protocol 4. */
  protected writeProto(): void {
    const out = this.out;
    const at = out.reserve(2);
    out.buf[at] = OP.PROTO;
    out.buf[at + 1] = this.proto;
    if (this.proto >= 4) out.framing = true;
  }

  protected op(b: number): void {
    this.out.byte(b);
  }

  // ---- memo ----

  /** A memo index as PUT / GET want it: 1-byte form below 256, 4-byte form above, text at protocol 0. */
  private memoOp(index: number, short: number, long: number, text: string): void {
    const out = this.out;
    if (!this.bin) {
      out.ascii(`${text}${index}\n`);
    } else if (index < 256) {
      const at = out.reserve(2);
      out.buf[at] = short;
      out.buf[at + 1] = index;
    } else {
      const at = out.reserve(5);
      out.buf[at] = long;
      out.view.setUint32(at + 1, index, true);
    }
  }

  /** Memoizes the value just written (MEMOIZE, or PUT with its index); returns the index. */
  protected memoPutIndex(): number {
    const index = this.memoCount++;
    if (this.proto >= 4) this.out.byte(OP.MEMOIZE);
    else this.memoOp(index, OP.BINPUT, OP.LONG_BINPUT, "p");
    return index;
  }

  /** Memoizes the value just written under `key` (null: not memoized at all). */
  protected memoPut(key: MemoKey | null): void {
    if (key === null) return;
    const index = this.memoPutIndex();
    if (key === FRESH) return;
    if (typeof key === "string") this.keyMemo.set(key, index);
    else this.objMemo.set(key, index);
  }

  protected memoGet(index: number): void {
    this.memoOp(index, OP.BINGET, OP.LONG_BINGET, "g");
  }

  /** The memo index a value is known under, or undefined. */
  protected memoLookup(key: object | string): number | undefined {
    return typeof key === "string" ? this.keyMemo.get(key) : this.objMemo.get(key);
  }

  // ---- scalars ----

  protected saveLong(v: bigint): void {
    const asNumber = Number(v); // exact below 2^53
    if (Number.isSafeInteger(asNumber)) {
      this.saveSafeInt(asNumber);
      return;
    }
    if (this.proto < 2) {
      this.out.ascii(`L${v}L\n`);
      return;
    }
    const out = this.out;
    const bytes = twosComplement(v);
    if (bytes.length < 256) {
      const at = out.reserve(2 + bytes.length);
      out.buf[at] = OP.LONG1;
      out.buf[at + 1] = bytes.length;
      out.buf.set(bytes, at + 2);
    } else {
      const at = out.reserve(5 + bytes.length);
      out.buf[at] = OP.LONG4;
      out.view.setInt32(at + 1, bytes.length, true);
      out.buf.set(bytes, at + 5);
    }
  }

  /** save_long for an int held exactly in a number (|n| < 2^53): no BigInt arithmetic. */
  protected saveSafeInt(n: number): void {
    const out = this.out;
    if (n >= -2147483648 && n <= 2147483647) {
      if (!this.bin) {
        out.ascii(`I${n}\n`);
      } else if (n >= 0 && n <= 0xff) {
        const at = out.reserve(2);
        out.buf[at] = OP.BININT1;
        out.buf[at + 1] = n;
      } else if (n >= 0 && n <= 0xffff) {
        const at = out.reserve(3);
        out.buf[at] = OP.BININT2;
        out.view.setUint16(at + 1, n, true);
      } else {
        const at = out.reserve(5);
        out.buf[at] = OP.BININT;
        out.view.setInt32(at + 1, n, true);
      }
      return;
    }
    if (this.proto < 2) {
      out.ascii(`L${n}L\n`);
      return;
    }
    const at = out.reserve(SAFE_LONG1_MAX); // first: it may replace the buffer
    out.pos = writeSafeLong1(out.buf, out.view, at, n);
  }

  protected saveFloat(x: number): void {
    const out = this.out;
    if (this.bin) {
      const at = out.reserve(9);
      out.buf[at] = OP.BINFLOAT;
      out.view.setFloat64(at + 1, x, false);
    } else {
      out.ascii(`F${floatRepr(x)}\n`);
    }
  }

  /** save_unicode: the string, then memo_put under the identity it has. */
  protected saveStr(s: string, id: StringIdentity): void {
    if (id !== "interned" && id !== "fresh") {
      const index = this.keyMemo.get(`str:${id.stable}`);
      if (index !== undefined) return this.memoGet(index);
    } else if (id === "interned") {
      const index = this.strMemo.get(s);
      if (index !== undefined) return this.memoGet(index);
    }
    this.saveNewStr(s, id);
  }

  /** save_unicode for a string not in the memo: written, then memoized under its identity. */
  protected saveNewStr(s: string, id: StringIdentity): void {
    if (this.bin) this.writeUnicodeBinary(s);
    else {
      this.out.byte(OP.UNICODE);
      this.out.ascii(rawUnicodeEscape(s));
      this.out.byte(NEWLINE);
    }
    const index = this.memoPutIndex();
    if (id === "interned") this.strMemo.set(s, index);
    else if (id !== "fresh") this.keyMemo.set(`str:${id.stable}`, index);
  }

  private writeUnicodeBinary(s: string): void {
    const out = this.out;
    // A string of at most 85 UTF-16 units is a SHORT_BINUNICODE at protocol 4+: encoded straight into
    // the buffer, its length patched in. Up to UTF8_LOOP_MAX units a JS loop beats the native
    // encoder's call; above, the native one (which needs a string without lone surrogates).
    if (s.length * 3 <= 0xff && this.proto >= 4) {
      const at = out.reserve(2 + s.length * 3);
      const n = s.length <= UTF8_LOOP_MAX || hasLoneSurrogate(s) ? encodeUtf8Into(s, out.buf, at + 2) : writeUtf8(out.buf, s, at + 2);
      out.buf[at] = OP.SHORT_BINUNICODE;
      out.buf[at + 1] = n;
      out.pos = at + 2 + n;
      return;
    }
    if (s.length < 21000 && !hasLoneSurrogate(s)) {
      // Encode straight into the buffer after a 5-byte BINUNICODE header (short strings at protocol
      // 4+ were handled above, so the header is known; the payload is under 64 KiB: framed).
      const at = out.reserve(5 + s.length * 3);
      const n = writeUtf8(out.buf, s, at + 5);
      if (n <= 0xff && this.proto >= 4) {
        out.buf.copyWithin(at + 2, at + 5, at + 5 + n);
        out.buf[at] = OP.SHORT_BINUNICODE;
        out.buf[at + 1] = n;
        out.pos = at + 2 + n;
      } else {
        out.buf[at] = OP.BINUNICODE;
        out.view.setUint32(at + 1, n, true);
        out.pos = at + 5 + n;
      }
      return;
    }
    const data = encodeUtf8(s);
    const size = data.length;
    let header: Uint8Array;
    if (size <= 0xff && this.proto >= 4) header = Uint8Array.of(OP.SHORT_BINUNICODE, size);
    else if (size <= 0xffffffff) header = u32Header(OP.BINUNICODE, size);
    else if (this.proto >= 4) header = u64Header(OP.BINUNICODE8, size);
    else refuse("serializing a string larger than 4 GiB requires pickle protocol 4 or higher", s);
    out.headerAndPayload(header, data);
  }
}

/** The most bytes writeSafeLong1 and writeLong1Halves write. */
export const SAFE_LONG1_MAX = 10;

/**
 * save_long's LONG1 for a safe integer outside int32 (protocol 2+), at `at`: two's complement from
 * the number itself (8 bytes, then trimmed to the fewest that keep the sign). Returns the end.
 */
export function writeSafeLong1(buf: Uint8Array, view: DataView, at: number, n: number): number {
  // The two 32-bit halves by exact float arithmetic (n / 2^32 and its floor are exact for a safe
  // integer): `n % 2^32` is a call to C's fmod, a tenth of the ints workload's encode.
  const hi = Math.floor(n / 4294967296);
  return writeLong1Halves(buf, view, at, n - hi * 4294967296, hi);
}

/**
 * save_long's LONG1 for the 64-bit two's complement int hi·2^32 + lo (`lo`: its low 32 bits, signed
 * or not; `hi`: its high 32, signed), trimmed to the fewest bytes that keep the sign. Returns the end.
 */
export function writeLong1Halves(buf: Uint8Array, view: DataView, at: number, lo: number, hi: number): number {
  view.setUint32(at + 2, lo, true);
  view.setInt32(at + 6, hi, true);
  let size = 8;
  const fill = buf[at + 9]! === 0xff ? 0xff : 0;
  while (size > 1 && buf[at + 1 + size]! === fill && (buf[at + size]! & 0x80) === (fill & 0x80)) size--;
  buf[at] = OP.LONG1;
  buf[at + 1] = size;
  return at + 2 + size;
}

/** An opcode and its 4-byte little-endian length. */
export function u32Header(op: number, n: number): Uint8Array {
  const h = new Uint8Array(5);
  h[0] = op;
  new DataView(h.buffer).setUint32(1, n, true);
  return h;
}

/** An opcode and its 8-byte little-endian length. */
export function u64Header(op: number, n: number): Uint8Array {
  const h = new Uint8Array(9);
  h[0] = op;
  const view = new DataView(h.buffer);
  view.setUint32(1, n % 0x100000000, true);
  view.setUint32(5, Math.floor(n / 0x100000000), true);
  return h;
}

const scratch8 = new DataView(new ArrayBuffer(8));

/**
 * Minimal little-endian two's complement, as save_long computes it for LONG1/LONG4: the fewest
 * bytes whose top bit still carries the sign (so trailing 0x00 / 0xFF bytes that only repeat the
 * sign are dropped).
 */
function twosComplement(v: bigint): Uint8Array {
  let bytes: Uint8Array;
  if (v >= -(1n << 63n) && v < 1n << 63n) {
    scratch8.setBigInt64(0, v, true);
    bytes = new Uint8Array(scratch8.buffer.slice(0));
  } else {
    const negative = v < 0n;
    const magnitudeHex = (negative ? -v : v).toString(16);
    const n = (magnitudeHex.length >> 1) + 2;
    let u = negative ? (1n << BigInt(8 * n)) + v : v;
    const hex = u.toString(16).padStart(2 * n, "0");
    bytes = new Uint8Array(n);
    for (let i = 0; i < n; i++) bytes[i] = parseInt(hex.slice(2 * (n - 1 - i), 2 * (n - i)), 16);
    u = 0n;
  }
  let n = bytes.length;
  const fill = bytes[n - 1] === 0xff ? 0xff : 0;
  while (n > 1 && bytes[n - 1] === fill && (bytes[n - 2]! & 0x80) === (fill & 0x80)) n--;
  return bytes.subarray(0, n);
}

/** raw_unicode_escape as the pickler's own copy does it: also escapes \, \0, \n, \r and \x1a. */
function rawUnicodeEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x10000) out += "\\U" + cp.toString(16).padStart(8, "0");
    else if (cp >= 256 || cp === 0x5c || cp === 0 || cp === 0x0a || cp === 0x0d || cp === 0x1a) out += "\\u" + cp.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out;
}
