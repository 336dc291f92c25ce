// Walks a pickle's opcodes with their decoded arguments, as pickletools.genops does: no stack, no
// objects built. The base of `dis` and `scan`.
import { type ArgKind, OPCODE_BY_CODE, type OpcodeInfo } from "../opcodes.ts";
import { decodeUtf8 } from "../utf8.ts";
import { latin1Decode } from "../latin1.ts";
import { parseStringLine, parseUnicodeLine } from "../reader/text-args.ts";
import { PyBytearray } from "../model/containers.ts";
import { bytesRepr } from "../format/str-repr.ts";

/** An argument as pickletools decodes it. Text-opcode ints stay bigint; "00"/"01" INT are booleans. */
export type OpArg = bigint | number | boolean | string | Uint8Array | null;

export interface Op {
  info: OpcodeInfo;
  arg: OpArg;
  /** Offset of the opcode byte. */
  pos: number;
  /** Offset just after the argument. */
  end: number;
}

/** A malformed opcode stream, worded as pickletools words it. */
export class GenopsError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

const latin1 = latin1Decode;

/** As CPython's sys.int_info.default_max_str_digits: longer decimal text is refused, not converted. */
export const MAX_INT_DIGITS = 4300;

/** Python's repr() of the bytes an argument was read from, cut as CPython's `%.200R` cuts it. */
const shownBytes = (text: string, cut = Infinity) => bytesRepr(Uint8Array.from(text, (c) => c.charCodeAt(0))).slice(0, cut);

/** Python's int() of ASCII text: whitespace, a sign, digits with single underscores. */
function pyIntText(text: string, pos: number): bigint {
  const m = /^\s*([+-]?)(\d(?:_?\d)*)\s*$/.exec(text);
  if (!m) throw new GenopsError(`invalid literal for int() with base 10: ${shownBytes(text, 200)}`, pos);
  const digits = m[2]!.replace(/_/g, "");
  if (digits.length > MAX_INT_DIGITS) {
    throw new GenopsError(
      `Exceeds the limit (${MAX_INT_DIGITS} digits) for integer string conversion: value has ${digits.length} digits; use sys.set_int_max_str_digits() to increase the limit`,
      pos,
    );
  }
  const v = BigInt(digits);
  return m[1] === "-" ? -v : v;
}

/** Python's float() of text. */
function pyFloatText(text: string, pos: number): number {
  const t = text.trim().replace(/(\d)_(?=\d)/g, "$1");
  const m = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i.exec(t);
  if (!m) throw new GenopsError(`could not convert string to float: ${shownBytes(text)}`, pos);
  const lower = t.toLowerCase();
  if (lower.includes("nan")) return NaN;
  if (lower.includes("inf")) return t.startsWith("-") ? -Infinity : Infinity;
  return Number(t);
}

class ArgReader {
  constructor(
    readonly data: Uint8Array,
    public pos: number,
  ) {}

  private take(n: number, what: string): Uint8Array {
    if (n > this.data.length - this.pos) throw new GenopsError(`not enough data in stream to read ${what}`, this.pos);
    const out = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private counted(n: number, what: string): Uint8Array {
    if (n > this.data.length - this.pos) {
      throw new GenopsError(`expected ${n} bytes in a ${what}, but only ${this.data.length - this.pos} remain`, this.pos);
    }
    return this.take(n, what);
  }

  private uint(n: number, what: string): number {
    const b = this.take(n, what);
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + b[i]!;
    return v;
  }

  private line(what: string): Uint8Array {
    const nl = this.data.indexOf(0x0a, this.pos);
    if (nl < 0) throw new GenopsError(`no newline found when trying to read ${what}`, this.pos);
    const out = this.data.subarray(this.pos, nl);
    this.pos = nl + 1;
    return out;
  }

  private escapedAscii(line: Uint8Array): string {
    // Quoted as the STRING parser wants it; copied, not spread (a line can be megabytes long).
    const quoted = new Uint8Array(line.length + 2);
    quoted[0] = quoted[quoted.length - 1] = 0x27;
    quoted.set(line, 1);
    const bytes = parseStringLine(quoted);
    for (const b of bytes) if (b >= 0x80) throw new GenopsError("'ascii' codec can't decode byte", this.pos);
    return latin1(bytes);
  }

  read(kind: ArgKind): OpArg {
    switch (kind) {
      case "uint1":
        return this.uint(1, "uint1");
      case "uint2":
        return this.uint(2, "uint2");
      case "uint4":
        return this.uint(4, "uint4");
      case "uint8": {
        const b = this.take(8, "uint8");
        const v = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
        return v > BigInt(Number.MAX_SAFE_INTEGER) ? v : Number(v); // exact, as pickletools prints it
      }
      case "int4": {
        const b = this.take(4, "int4");
        return new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true);
      }
      case "float8": {
        const b = this.take(8, "float8");
        return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, false);
      }
      case "long1":
      case "long4": {
        const n = kind === "long1" ? this.uint(1, "uint1") : (this.read("int4") as number);
        if (n < 0) throw new GenopsError(`long4 byte count < 0: ${n}`, this.pos);
        const b = this.take(n, kind);
        if (n === 0) return 0n;
        let hex = "";
        for (let i = n - 1; i >= 0; i--) hex += b[i]!.toString(16).padStart(2, "0");
        let v = BigInt("0x" + hex);
        if (b[n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
        return v;
      }
      case "decimalnl_short": {
        const text = latin1(this.line("stringnl"));
        if (text === "00") return false;
        if (text === "01") return true;
        return pyIntText(text, this.pos);
      }
      case "decimalnl_long": {
        let text = latin1(this.line("stringnl"));
        if (text.endsWith("L")) text = text.slice(0, -1);
        return pyIntText(text, this.pos);
      }
      case "floatnl":
        return pyFloatText(latin1(this.line("stringnl")), this.pos);
      case "stringnl": {
        const line = this.line("stringnl");
        const q = line[0];
        if (q !== 0x22 && q !== 0x27) throw new GenopsError(`no string quotes around ${bytesRepr(line)}`, this.pos);
        if (line[line.length - 1] !== q) {
          throw new GenopsError(`strinq quote ${bytesRepr(line.subarray(0, 1))} not found at both ends of ${bytesRepr(line)}`, this.pos);
        }
        // As pickletools' data[1:-1]: a lone quote is both ends of an empty string.
        return this.escapedAscii(line.subarray(1, Math.max(1, line.length - 1)));
      }
      case "stringnl_noescape":
        return this.escapedAscii(this.line("stringnl"));
      case "stringnl_noescape_pair": {
        const a = this.escapedAscii(this.line("stringnl"));
        const b = this.escapedAscii(this.line("stringnl"));
        return `${a} ${b}`;
      }
      case "string1":
        return latin1(this.counted(this.uint(1, "uint1"), "string1"));
      case "string4": {
        const n = this.read("int4") as number;
        if (n < 0) throw new GenopsError(`string4 byte count < 0: ${n}`, this.pos);
        return latin1(this.counted(n, "string4"));
      }
      case "bytes1":
        return this.counted(this.uint(1, "uint1"), "bytes1").slice();
      case "bytes4":
        return this.counted(this.uint(4, "uint4"), "bytes4").slice();
      case "bytes8":
        return this.counted(this.uint64Length(), "bytes8").slice();
      case "bytearray8": {
        const b = this.counted(this.uint64Length(), "bytearray8");
        const out = new PyBytearray(b.length);
        out.set(b);
        return out;
      }
      case "unicodestringnl":
        return parseUnicodeLine(this.line("unicodestringnl"));
      case "unicodestring1":
      case "unicodestring4":
      case "unicodestring8": {
        const n = kind === "unicodestring1" ? this.uint(1, "uint1") : kind === "unicodestring4" ? this.uint(4, "uint4") : this.uint64Length();
        const b = this.counted(n, kind);
        return decodeUtf8(b, 0, b.length);
      }
    }
  }

  private uint64Length(): number {
    const b = this.take(8, "uint8");
    const v = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
  }
}

/**
 * The opcodes of one pickle starting at `start`, one `next()` at a time through its STOP (then
 * null). Throws GenopsError on bad input. A class, not a generator, so that walking many small
 * pickles creates no per-call closure or generator state.
 */
export class OpWalker {
  private readonly reader: ArgReader;
  private stopped = false;

  constructor(data: Uint8Array, start = 0) {
    this.reader = new ArgReader(data, start);
  }

  next(): Op | null {
    if (this.stopped) return null;
    const reader = this.reader;
    const data = reader.data;
    const pos = reader.pos;
    if (pos >= data.length) throw new GenopsError("pickle exhausted before seeing STOP", pos);
    const info = OPCODE_BY_CODE[data[pos]!];
    if (!info) {
      throw new GenopsError(`at position ${pos}, opcode ${bytesRepr(data.subarray(pos, pos + 1))} unknown`, pos);
    }
    reader.pos = pos + 1;
    let arg: OpArg = null;
    try {
      if (info.arg) arg = reader.read(info.arg);
    } catch (e) {
      if (e instanceof GenopsError) throw e;
      throw new GenopsError((e as Error).message, pos);
    }
    if (info.name === "STOP") this.stopped = true;
    return { info, arg, pos, end: reader.pos };
  }
}

/** The opcodes of one pickle starting at `start`, through its STOP. Throws GenopsError on bad input. */
export function* genops(data: Uint8Array, start = 0): Generator<Op> {
  const walker = new OpWalker(data, start);
  for (let op = walker.next(); op !== null; op = walker.next()) yield op;
}
