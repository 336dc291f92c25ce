// The FRAME rule, checked by walking a pickle's opcodes without building anything. The general
// reader enforces the rule as it reads; the typed fast path reads values, not opcodes, so it asks
// this walk once a pickle it accepted has frames that end before its STOP.
//
// The rule (CPython's Python unpickler, `_Unframer`): every read — an opcode byte, a length field, a
// payload, a text line — that starts inside the current frame ends inside it; a read that starts at
// or after its end is unframed; a FRAME may not begin before the current one ends.
import { OPCODES } from "../opcodes.ts";
import { PLAN_BY_CODE } from "./read-plans.ts";

const FRAME = OPCODES.find((o) => o.name === "FRAME")!.code;
const STOP = OPCODES.find((o) => o.name === "STOP")!.code;

/**
 * True when the pickle starting at `start` keeps the FRAME rule up to and including its STOP.
 * False on a violation, and on anything malformed (an unknown opcode, a truncated argument): the
 * caller then leaves the pickle to the general reader, which words the error.
 */
export function framesRespected(data: Uint8Array, start = 0): boolean {
  const end = data.length;
  let frameEnd = -1;
  let p = start;
  // A read of n bytes at p: within the input, and not across the current frame's end.
  const fits = (at: number, n: number) => n <= end - at && !(at < frameEnd && at + n > frameEnd);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  while (p < end) {
    const op = data[p]!;
    const plan = PLAN_BY_CODE[op];
    if (plan === undefined) return false;
    p += 1;
    if (op === STOP) return true;
    if (plan.kind === "fixed") {
      if (!fits(p, plan.size)) return false;
      if (op === FRAME) {
        const length = view.getUint32(p, true) + view.getUint32(p + 4, true) * 0x100000000;
        p += 8;
        if (p < frameEnd || length > end - p) return false;
        frameEnd = p + length;
        continue;
      }
      p += plan.size;
    } else if (plan.kind === "sized") {
      const width = plan.lengthBytes;
      if (!fits(p, width)) return false;
      let n: number;
      if (width === 1) n = data[p]!;
      else if (width === 4) n = plan.signed ? view.getInt32(p, true) : view.getUint32(p, true);
      else n = view.getUint32(p, true) + view.getUint32(p + 4, true) * 0x100000000;
      p += width;
      if (n < 0 || !fits(p, n)) return false;
      p += n;
    } else {
      for (let i = 0; i < plan.count; i++) {
        const nl = data.indexOf(0x0a, p);
        if (nl < 0 || !fits(p, nl + 1 - p)) return false;
        p = nl + 1;
      }
    }
  }
  return false;
}
