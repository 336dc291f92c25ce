// A bigint's value as a number when it is a safe integer, without V8's BigInt→Number conversion: that
// is a runtime call (~35 ns), the writer's largest cost on int-heavy values (ints encode: 240M of
// 361M instructions). Storing a bigint into a BigInt64Array is compiled inline and takes its low 64
// bits, so the number is read back from the two 32-bit halves; BigInt.asIntN(64, v) === v tells
// whether 64 bits held it all (~24 ns together; bench: 1M conversions 35 → 24 ms).

const WORD = new BigInt64Array(1);
const HALVES = new Int32Array(WORD.buffer);
/** Which half holds the high bits: the typed arrays use the host's byte order. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LOW = LITTLE_ENDIAN ? 0 : 1;
const HIGH = 1 - LOW;

/** `v` as a number if |v| < 2^53 (exact), else NaN. */
export function safeIntegerOf(v: bigint): number {
  if (BigInt.asIntN(64, v) !== v) return Number.NaN;
  WORD[0] = v;
  // Exact below 2^53; a larger value rounds to 2^53 or beyond, which isSafeInteger refuses.
  const n = HALVES[HIGH]! * 4294967296 + (HALVES[LOW]! >>> 0);
  return Number.isSafeInteger(n) ? n : Number.NaN;
}
