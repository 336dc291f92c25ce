// How each opcode's argument is laid out, for the walks that skip over arguments without decoding
// them (frame-check.ts, memo-fetches.ts): one table, from the opcode catalogue's argument kinds.
import { OPCODES, type ArgKind } from "../opcodes.ts";

/** How an argument is read: the sizes of its reads, or a length field followed by a payload. */
export type ReadPlan = { kind: "fixed"; size: number } | { kind: "sized"; lengthBytes: 1 | 4 | 8; signed: boolean } | { kind: "lines"; count: number };

const PLANS: Record<ArgKind, ReadPlan> = {
  uint1: { kind: "fixed", size: 1 },
  uint2: { kind: "fixed", size: 2 },
  int4: { kind: "fixed", size: 4 },
  uint4: { kind: "fixed", size: 4 },
  uint8: { kind: "fixed", size: 8 },
  float8: { kind: "fixed", size: 8 },
  long1: { kind: "sized", lengthBytes: 1, signed: false },
  bytes1: { kind: "sized", lengthBytes: 1, signed: false },
  string1: { kind: "sized", lengthBytes: 1, signed: false },
  unicodestring1: { kind: "sized", lengthBytes: 1, signed: false },
  long4: { kind: "sized", lengthBytes: 4, signed: true },
  string4: { kind: "sized", lengthBytes: 4, signed: true },
  bytes4: { kind: "sized", lengthBytes: 4, signed: false },
  unicodestring4: { kind: "sized", lengthBytes: 4, signed: false },
  bytes8: { kind: "sized", lengthBytes: 8, signed: false },
  unicodestring8: { kind: "sized", lengthBytes: 8, signed: false },
  bytearray8: { kind: "sized", lengthBytes: 8, signed: false },
  decimalnl_short: { kind: "lines", count: 1 },
  decimalnl_long: { kind: "lines", count: 1 },
  floatnl: { kind: "lines", count: 1 },
  stringnl: { kind: "lines", count: 1 },
  stringnl_noescape: { kind: "lines", count: 1 },
  unicodestringnl: { kind: "lines", count: 1 },
  stringnl_noescape_pair: { kind: "lines", count: 2 },
};

const NO_ARGUMENT: ReadPlan = { kind: "fixed", size: 0 };

/** Read plans by opcode byte; undefined for bytes that are not opcodes. */
export const PLAN_BY_CODE: readonly (ReadPlan | undefined)[] = (() => {
  const plans: (ReadPlan | undefined)[] = new Array(256);
  for (const info of OPCODES) plans[info.code] = info.arg === null ? NO_ARGUMENT : PLANS[info.arg];
  return plans;
})();
