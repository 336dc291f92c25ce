// Which memo entries a pickle ever fetches, found by walking its opcodes before reading it.
//
// CPython's pickler (protocol 4+) memoizes every str, list, dict and tuple it writes, but fetches
// few of them back (the deep workload: 87k puts, 1.9k fetches). A memo array holding every value
// is a large old-generation array pointing at young objects: each put records a slot for the
// scavenger, which then treats every value as a root. Walking the opcodes costs ~2 ms a MB; the
// reader then stores only values some fetch names and a placeholder for the rest, so the memo's
// bookkeeping (MEMOIZE indices, maxMemo) is unchanged. Measured: records-dicts decode −10 %,
// strings −6 to −12 %, deep −2 to −5 %.

import { OP } from "../opcodes.ts";
import { PLAN_BY_CODE } from "./read-plans.ts";

// How each opcode's argument is skipped (from read-plans.ts, flattened for the loop): bytes to
// skip, or one of the markers below.
const NO_OPCODE = -1; // not an opcode: the reader fails here
const PREFIX_1 = -2; // a 1-byte length, then that many bytes
const PREFIX_4 = -3; // a 4-byte little-endian length (read signed: the reader refuses or cannot reach ≥ 2^31)
const PREFIX_8 = -4; // an 8-byte little-endian length
const LINE = -5; // up to and including a newline
const TWO_LINES = -6;
const TEXT_GET = -7; // GET: a decimal index on a line
const BIN_GET = -8; // BINGET: a 1-byte index
const LONG_BIN_GET = -9; // LONG_BINGET: a 4-byte index

const SKIP: Int8Array = (() => {
  const table = new Int8Array(256).fill(NO_OPCODE);
  PLAN_BY_CODE.forEach((plan, code) => {
    if (plan === undefined) return;
    if (plan.kind === "fixed") table[code] = plan.size;
    else if (plan.kind === "lines") table[code] = plan.count === 1 ? LINE : TWO_LINES;
    else table[code] = plan.lengthBytes === 1 ? PREFIX_1 : plan.lengthBytes === 4 ? PREFIX_4 : PREFIX_8;
  });
  table[OP.GET] = TEXT_GET;
  table[OP.BINGET] = BIN_GET;
  table[OP.LONG_BINGET] = LONG_BIN_GET;
  return table;
})();

/**
 * A bit per memo index, set where some fetch of `data` names it; null when that cannot be told
 * cheaply (a text GET, or an index of half the input's length or more: no CPython pickle has one),
 * and then every value must be kept. The walk stops where the reader would fail (an unknown opcode,
 * a negative or overlong length): nothing past that point is read.
 */
export function memoFetches(data: Uint8Array): Uint32Array | null {
  const indices = data.length >> 1; // every memoized value takes at least two bytes (itself and a put)
  const bits = new Uint32Array((indices >> 5) + 1);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const end = data.length;
  let pos = 0;
  while (pos < end) {
    const skip = SKIP[data[pos++]!]!;
    if (skip >= 0) {
      pos += skip;
      continue;
    }
    let index: number;
    switch (skip) {
      case BIN_GET:
        if (pos + 1 > end) return bits;
        index = data[pos++]!;
        break;
      case LONG_BIN_GET:
        if (pos + 4 > end) return bits;
        index = view.getUint32(pos, true);
        pos += 4;
        break;
      case PREFIX_1:
        if (pos + 1 > end) return bits;
        pos += 1 + data[pos]!;
        continue;
      case PREFIX_4: {
        if (pos + 4 > end) return bits;
        const n = view.getInt32(pos, true);
        if (n < 0) return bits;
        pos += 4 + n;
        continue;
      }
      case PREFIX_8: {
        if (pos + 8 > end || view.getUint32(pos + 4, true) !== 0) return bits;
        pos += 8 + view.getUint32(pos, true);
        continue;
      }
      case LINE:
      case TWO_LINES: {
        for (let lines = skip === LINE ? 1 : 2; lines > 0; lines--) {
          const newline = data.indexOf(0x0a, pos);
          if (newline < 0) return bits;
          pos = newline + 1;
        }
        continue;
      }
      case TEXT_GET:
        return null;
      default: // NO_OPCODE
        return bits;
    }
    if (index >= indices) return null;
    bits[index >>> 5]! |= 1 << (index & 31);
  }
  return bits;
}

/** Whether the memo entry at `index` may be fetched (`bits` from memoFetches). */
export function mayBeFetched(bits: Uint32Array, index: number): boolean {
  return index >>> 5 < bits.length && (bits[index >>> 5]! & (1 << (index & 31))) !== 0;
}
