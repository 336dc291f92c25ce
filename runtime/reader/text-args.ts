// Arguments of the protocol-0 text opcodes, parsed exactly as CPython's C unpickler parses them
// (Modules/_pickle.c: load_int, load_long, load_float, load_string, load_unicode). Each parser
// returns a value or throws TextArgError with CPython's wording; the reader adds offset and opcode.

import { latin1Decode } from "../latin1.ts";
import { surrogatePairError } from "../utf8.ts";

export class TextArgError extends Error {}

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);

/** The line's bytes up to a NUL, as C string functions see them. */
function cString(line: Uint8Array): Uint8Array {
  const nul = line.indexOf(0);
  return nul < 0 ? line : line.subarray(0, nul);
}

const latin1 = latin1Decode;

/**
 * `int(text, 0)` as PyLong_FromString(s, NULL, 0) reads it: whitespace around, a sign, 0x/0o/0b
 * prefixes, underscores between digits, no leading zeros in decimal. Decimal text longer than
 * `maxDigits` is refused before conversion (CVE-2020-10735: the conversion is quadratic).
 */
export function parsePyLong(text: string, maxDigits: number): bigint {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0(?:_?0)*|[1-9](?:_?[0-9])*)[ \t\n\v\f\r]*$/.exec(text);
  if (!m) throw new TextArgError(`invalid literal for int() with base 0: ${pyReprAscii(text)}`);
  const body = m[2]!.replace(/_/g, "");
  const isDecimal = !/^0[xXoObB]/.test(body);
  if (isDecimal && body.length > maxDigits) {
    throw new TextArgError(`exceeds the limit (${maxDigits} digits) for integer string conversion: value has ${body.length} digits`);
  }
  const value = isDecimal ? BigInt(body) : BigInt(body.slice(0, 2).toLowerCase() + body.slice(2));
  return m[1] === "-" ? -value : value;
}

function pyReprAscii(text: string): string {
  return "'" + text.replace(/[\\']/g, (c) => "\\" + c).replace(/\n/g, "\\n") + "'";
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** C strtol(s, &end, 0) on a 64-bit long: returns the value and where parsing stopped, or overflow. */
function strtol(s: Uint8Array): { value: bigint; end: number; overflow: boolean } {
  let i = 0;
  while (i < s.length && SPACE.has(s[i]!)) i++;
  let negative = false;
  if (s[i] === 0x2b || s[i] === 0x2d) negative = s[i++] === 0x2d;
  let base = 10;
  const isHex = (c: number | undefined) => c !== undefined && /[0-9a-fA-F]/.test(String.fromCharCode(c));
  if (s[i] === 0x30 && (s[i + 1] === 0x78 || s[i + 1] === 0x58) && isHex(s[i + 2])) {
    base = 16;
    i += 2;
  } else if (s[i] === 0x30) {
    base = 8;
  }
  const digitsStart = i;
  let value = 0n;
  let significant = 0;
  for (; i < s.length; i++) {
    const c = s[i]!;
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : 99;
    if (d >= base) break;
    if (d > 0 || significant > 0) significant++;
    // Past 64 bits strtol has overflowed: stop accumulating (it would be quadratic on long input).
    if (significant <= 24) value = value * BigInt(base) + BigInt(d);
  }
  if (i === digitsStart) return { value: 0n, end: 0, overflow: false };
  if (significant > 24) return { value, end: i, overflow: true };
  if (negative) value = -value;
  return { value, end: i, overflow: value < INT64_MIN || value > INT64_MAX };
}

/** The INT opcode's line (without its newline): an int, or a bool for "00" / "01" (see load_int). */
export function parseIntLine(line: Uint8Array, maxDigits: number): bigint | boolean {
  const s = cString(line);
  const { value, end, overflow } = strtol(s);
  if (overflow || end !== s.length) {
    try {
      return parsePyLong(latin1(s), maxDigits);
    } catch (e) {
      if (e instanceof TextArgError && e.message.startsWith("exceeds")) throw e;
      throw new TextArgError("could not convert string to int");
    }
  }
  if (line.length === 2 && (value === 0n || value === 1n)) return value === 1n;
  return value;
}

/** The LONG opcode's line: decimal text with an optional trailing 'L'. */
export function parseLongLine(line: Uint8Array, maxDigits: number): bigint {
  let s = line;
  if (s.length >= 1 && s[s.length - 1] === 0x4c) s = s.subarray(0, s.length - 1);
  return parsePyLong(latin1(cString(s)), maxDigits);
}

const FLOAT_SYNTAX = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)/i;

/** The FLOAT opcode's line, read like PyOS_string_to_double: no surrounding space, overflow refused. */
export function parseFloatLine(line: Uint8Array): number {
  const s = latin1(cString(line));
  const m = FLOAT_SYNTAX.exec(s);
  if (!m || m[0].length !== s.length) throw new TextArgError("could not convert string to float");
  const text = m[0];
  const lower = text.toLowerCase();
  if (lower.includes("nan")) return NaN;
  if (lower.includes("inf")) return text.startsWith("-") ? -Infinity : Infinity;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new TextArgError(`could not convert string to float: '${s}' (overflow)`);
  return value;
}

/** The STRING opcode's line: quoted, with Python 2 string escapes (PyBytes_DecodeEscape). */
export function parseStringLine(line: Uint8Array): Uint8Array {
  const n = line.length;
  if (!(n >= 2 && line[0] === line[n - 1] && (line[0] === 0x27 || line[0] === 0x22))) {
    throw new TextArgError("the STRING opcode argument must be quoted");
  }
  return decodeEscapes(line.subarray(1, n - 1));
}

const SIMPLE_ESCAPES: Record<number, number> = {
  0x0a: -1, // backslash-newline: a line continuation, dropped
  0x5c: 0x5c,
  0x27: 0x27,
  0x22: 0x22,
  0x62: 0x08,
  0x66: 0x0c,
  0x74: 0x09,
  0x6e: 0x0a,
  0x72: 0x0d,
  0x76: 0x0b,
  0x61: 0x07,
};

function decodeEscapes(s: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== 0x5c) {
      out.push(c);
      continue;
    }
    i++;
    if (i >= s.length) throw new TextArgError("Trailing \\ in string");
    const e = s[i]!;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      if (simple >= 0) out.push(simple);
    } else if (e >= 0x30 && e <= 0x37) {
      let v = e - 0x30;
      for (let k = 0; k < 2 && i + 1 < s.length && s[i + 1]! >= 0x30 && s[i + 1]! <= 0x37; k++) v = v * 8 + (s[++i]! - 0x30);
      out.push(v & 0xff);
    } else if (e === 0x78) {
      const hex = String.fromCharCode(s[i + 1] ?? 0, s[i + 2] ?? 0);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new TextArgError(`invalid \\x escape at position ${i - 1}`);
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      out.push(0x5c, e); // unknown escapes stay as written
    }
  }
  return Uint8Array.from(out);
}

/** The UNICODE opcode's line: raw-unicode-escape (latin-1 bytes, \uXXXX and \UXXXXXXXX escapes). */
export function parseUnicodeLine(line: Uint8Array): string {
  let out = "";
  let i = 0;
  // The last escape's code point and where it ended: only an escape can leave a high surrogate at
  // the end of `out` (reading out.charCodeAt would flatten the string per escape: quadratic).
  let escaped = -1;
  let escapeEnd = -1;
  while (i < line.length) {
    if (line[i] !== 0x5c) {
      out += String.fromCharCode(line[i++]!);
      continue;
    }
    // A run of backslashes is literal; an odd-length run before u/U makes its last one an escape.
    const runStart = i;
    while (i < line.length && line[i] === 0x5c) i++;
    const run = i - runStart;
    const next = line[i];
    if (run % 2 === 0 || (next !== 0x75 && next !== 0x55)) {
      out += "\\".repeat(run);
      continue;
    }
    out += "\\".repeat(run - 1);
    const count = next === 0x75 ? 4 : 8;
    const hex = String.fromCharCode(...line.subarray(i + 1, i + 1 + count));
    if (hex.length !== count || !/^[0-9a-fA-F]+$/.test(hex)) {
      throw new TextArgError(`'rawunicodeescape' codec can't decode bytes: truncated ${count === 4 ? "\\uXXXX" : "\\UXXXXXXXX"} escape`);
    }
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff) throw new TextArgError("'rawunicodeescape' codec can't decode bytes: \\Uxxxxxxxx out of range");
    // Two escapes \ud83d\ude00 are two code points in Python; in a JS string they would be one character.
    const previous = escapeEnd === runStart && run === 1 ? escaped : -1;
    if (cp >= 0xdc00 && cp <= 0xdfff && previous >= 0xd800 && previous <= 0xdbff) throw new TextArgError(surrogatePairError(previous, cp, runStart, "the line").message);
    out += String.fromCodePoint(cp);
    i += 1 + count;
    escaped = cp;
    escapeEnd = i;
  }
  return out;
}

/**
 * The PUT / GET / LONG_BINPUT-free text index: `int(line, 10)` as PyLong_FromString(s, NULL, 10)
 * reads it (load_put, load_get): whitespace around, a sign, underscores between digits, leading
 * zeros allowed. Returns the number, or -1 for a negative one; a value past 2^32 is Infinity.
 */
export function parseIndexLine(line: Uint8Array): number {
  const text = latin1(cString(line));
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9](?:_?[0-9])*)[ \t\n\v\f\r]*$/.exec(text);
  if (!m) throw new TextArgError(`invalid literal for int() with base 10: ${pyReprAscii(text)}`);
  const digits = m[2]!.replace(/_/g, "").replace(/^0+(?=.)/, "");
  const value = digits.length > 10 ? Infinity : Number(digits);
  return m[1] === "-" && value !== 0 ? -1 : value;
}
