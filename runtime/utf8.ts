// UTF-8 with Python's "surrogatepass" error handler: lone surrogates (legal in both a Python str and a
// JavaScript string) travel as their 3-byte encodings (U+D800 → ED A0 80). TextDecoder/TextEncoder
// would replace them with U+FFFD and so lose data; they are used only where no surrogate is involved.

import { isHostBuffer } from "./host-bytes.ts";

const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Thrown for bytes that are not UTF-8 (surrogates allowed); the reader turns it into UnpicklingError. */
export class Utf8Error extends Error {
  constructor(
    readonly position: number,
    message = `'utf-8' codec can't decode byte at position ${position}: invalid utf-8`,
  ) {
    super(message);
  }
}

/**
 * Python's str can hold a high surrogate followed by a low one as two code points (CPython writes
 * them with surrogatepass as two 3-byte sequences); a JavaScript string holding the same two code
 * units *is* the one astral character. Such a str is refused rather than merged.
 */
export function surrogatePairError(high: number, low: number, position: number, of = "its UTF-8"): Utf8Error {
  const hex = (n: number) => n.toString(16).toUpperCase();
  const merged = 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00);
  return new Utf8Error(
    position,
    `str holds the surrogate pair U+${hex(high)} U+${hex(low)} as two code points (byte ${position} of ${of}); ` +
      `JavaScript strings cannot keep them apart from the character U+${hex(merged)}`,
  );
}

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;

/**
 * Decodes `bytes[start, end)`. Very short ASCII runs skip the native decoder, whose call overhead
 * dominates them. A Node Buffer (see host-bytes.ts) decodes in C++: valid UTF-8 comes back exactly, anything else
 * (an encoded surrogate, invalid bytes) as U+FFFD — and a U+FFFD in the result sends the bytes to
 * the hand-written decoder, which accepts surrogates, refuses invalid bytes, and keeps a real U+FFFD.
 */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length <= 16) {
    let any = 0;
    for (let i = start; i < end; i++) any |= bytes[i]!;
    if (any < 0x80) return shortAscii(bytes, start, length);
    if (length <= 8) return decodeSlow(bytes, start, end); // past 8 bytes, the native call is cheaper
  }
  if (isHostBuffer(bytes)) {
    // Buffer#utf8Slice: what Buffer#toString calls after its argument checks.
    const s = bytes.utf8Slice(start, end);
    return s.indexOf("\ufffd") === -1 ? s : decodeSlow(bytes, start, end);
  }
  try {
    return strictDecoder.decode(bytes.subarray(start, end));
  } catch {
    return decodeSlow(bytes, start, end);
  }
}

/**
 * 0–16 ASCII bytes as one string, made at once: adding a char at a time makes a string per char, and
 * below ~17 bytes one `String.fromCharCode` call beats the native decoder's (~100–150 ns less per str).
 */
function shortAscii(b: Uint8Array, i: number, length: number): string {
  // One case per length: a call with a fixed argument count is what V8 makes fast.
  // prettier-ignore
  switch (length) {
    case 0: return "";
    case 1: return String.fromCharCode(b[i]!);
    case 2: return String.fromCharCode(b[i]!, b[i + 1]!);
    case 3: return String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!);
    case 4: return String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!);
    case 5: return String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!);
    case 6: return String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!);
    case 7: return String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!);
    case 8: return String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!);
    case 9: return String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!);
    case 10: return String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!);
    case 11: return String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!);
    case 12: return String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!);
    case 13: return String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!, b[i + 12]!);
    case 14: return String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!, b[i + 12]!, b[i + 13]!);
    case 15: return String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!, b[i + 12]!, b[i + 13]!, b[i + 14]!);
    default: return String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!, b[i + 8]!, b[i + 9]!, b[i + 10]!, b[i + 11]!, b[i + 12]!, b[i + 13]!, b[i + 14]!, b[i + 15]!);
  }
}

/**
 * `bytes[start, end)` as Python's strict UTF-8 (`bytes.decode("utf-8")`): encoded surrogates are
 * refused too. For text CPython decodes without surrogatepass (GLOBAL lines, STRING with encoding
 * "utf-8").
 */
export function decodeUtf8Strict(bytes: Uint8Array, start: number, end: number): string {
  try {
    return strictDecoder.decode(bytes.subarray(start, end));
  } catch {
    return decodeSlow(bytes, start, end, false); // throws, with the position
  }
}

/**
 * Hand-written decoder: strict UTF-8, except that encoded surrogates (ED A0..BF xx) are accepted
 * when `surrogates` — but never a high one right before a low one (surrogatePairError).
 */
function decodeSlow(bytes: Uint8Array, start: number, end: number, surrogates = true): string {
  const units: number[] = [];
  let out = "";
  let lastFlushed = 0;
  let i = start;
  while (i < end) {
    const b0 = bytes[i]!;
    let cp: number;
    if (b0 < 0x80) {
      cp = b0;
      i += 1;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      cp = ((b0 & 0x1f) << 6) | continuation(bytes, i + 1, end, 0x80, 0xbf, start);
      i += 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      const lo = b0 === 0xe0 ? 0xa0 : 0x80; // no overlong forms; ED A0..BF (surrogates) passes
      const b1 = continuation(bytes, i + 1, end, lo, 0xbf, start);
      const b2 = continuation(bytes, i + 2, end, 0x80, 0xbf, start);
      cp = ((b0 & 0x0f) << 12) | (b1 << 6) | b2;
      if (cp >= 0xd800 && cp <= 0xdfff) {
        if (!surrogates) throw new Utf8Error(i - start, `'utf-8' codec can't decode byte 0xed in position ${i - start}: invalid continuation byte`);
        // The unit before this one; never read back from `out` (that would flatten it each time).
        const previous = units.length > 0 ? units[units.length - 1]! : lastFlushed;
        if (cp >= 0xdc00 && isHighSurrogate(previous)) throw surrogatePairError(previous, cp, i - start);
      }
      i += 3;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      const lo = b0 === 0xf0 ? 0x90 : 0x80;
      const hi = b0 === 0xf4 ? 0x8f : 0xbf;
      const b1 = continuation(bytes, i + 1, end, lo, hi, start);
      const b2 = continuation(bytes, i + 2, end, 0x80, 0xbf, start);
      const b3 = continuation(bytes, i + 3, end, 0x80, 0xbf, start);
      cp = ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3;
      i += 4;
    } else {
      throw new Utf8Error(i - start);
    }
    if (cp > 0xffff) {
      cp -= 0x10000;
      units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
    } else {
      units.push(cp);
    }
    if (units.length >= 4096) {
      out += String.fromCharCode(...units);
      lastFlushed = units[units.length - 1]!;
      units.length = 0;
    }
  }
  return out + String.fromCharCode(...units);
}

function continuation(bytes: Uint8Array, i: number, end: number, lo: number, hi: number, start: number): number {
  if (i >= end) throw new Utf8Error(i - start);
  const b = bytes[i]!;
  if (b < lo || b > hi) throw new Utf8Error(i - start);
  return b & 0x3f;
}

/** True when the string holds a lone surrogate, which TextEncoder would replace. */
export function hasLoneSurrogate(text: string): boolean {
  // String#isWellFormed (ES2024, native since Node 20) is exactly "no lone surrogate".
  return !(text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** Encodes with surrogatepass. */
export function encodeUtf8(text: string): Uint8Array {
  if (!hasLoneSurrogate(text)) return new TextEncoder().encode(text);
  const out = new Uint8Array(text.length * 3); // 3 bytes per UTF-16 unit at most (a pair: 4 for 2)
  return out.slice(0, encodeUtf8Into(text, out, 0));
}

/**
 * UTF-8 with surrogatepass of `text` into `buf` at `at` (which must have room: 3 bytes per UTF-16
 * unit); returns the byte count. A loop, for short strings, where a native encoder's call costs more.
 */
export function encodeUtf8Into(text: string, buf: Uint8Array, at: number): number {
  let p = at;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      buf[p++] = c;
    } else if (c < 0x800) {
      buf[p++] = 0xc0 | (c >> 6);
      buf[p++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          buf[p++] = 0xf0 | (c >> 18);
          buf[p++] = 0x80 | ((c >> 12) & 0x3f);
          buf[p++] = 0x80 | ((c >> 6) & 0x3f);
          buf[p++] = 0x80 | (c & 0x3f);
          continue;
        }
      }
      buf[p++] = 0xe0 | (c >> 12);
      buf[p++] = 0x80 | ((c >> 6) & 0x3f);
      buf[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p - at;
}
