// A pickle as a list of opcode chunks (split with runtime/inspect/genops.ts), the unit the
// structure-aware mutators work on. Bytes genops cannot parse stay as one raw chunk, so a chunk
// list always joins back to exactly the input.
import { genops } from "../runtime/inspect/genops.ts";
import { OP, OPCODE_BY_CODE, type ArgKind } from "../runtime/opcodes.ts";

export interface Chunk {
  /** The opcode byte, or -1 for bytes that did not parse as an opcode. */
  code: number;
  bytes: Uint8Array;
}

/** Splits every pickle in `data` (back to back) into opcode chunks. */
export function splitOps(data: Uint8Array): Chunk[] {
  const chunks: Chunk[] = [];
  let pos = 0;
  while (pos < data.length) {
    const start = pos;
    try {
      for (const op of genops(data, pos)) {
        chunks.push({ code: op.info.code, bytes: data.subarray(op.pos, op.end) });
        pos = op.end;
      }
    } catch {
      // genops threw (possibly after a few good opcodes): whatever is left is one raw chunk.
      chunks.push({ code: -1, bytes: data.subarray(pos) });
      return chunks;
    }
    if (pos === start) break;
  }
  return chunks;
}

export function joinChunks(chunks: readonly Chunk[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.bytes.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) (out.set(c.bytes, at), (at += c.bytes.length));
  return out;
}

/** Width in bytes of the fixed-size field right after the opcode (a length, an index or a number). */
export function fieldWidth(kind: ArgKind | null): number {
  switch (kind) {
    case "uint1":
    case "bytes1":
    case "string1":
    case "unicodestring1":
    case "long1":
      return 1;
    case "uint2":
      return 2;
    case "uint4":
    case "int4":
    case "bytes4":
    case "string4":
    case "unicodestring4":
    case "long4":
      return 4;
    case "uint8":
    case "bytes8":
    case "bytearray8":
    case "unicodestring8":
    case "float8":
      return 8;
    default:
      return 0;
  }
}

export const argKindOf = (code: number): ArgKind | null => OPCODE_BY_CODE[code]?.arg ?? null;

/** Little-endian bytes of `value` (a non-negative bigint) in `width` bytes, wrapping. */
export function le(value: bigint, width: number): Uint8Array {
  const out = new Uint8Array(width);
  let v = BigInt.asUintN(width * 8, value);
  for (let i = 0; i < width; i++) ((out[i] = Number(v & 0xffn)), (v >>= 8n));
  return out;
}

export function readLe(bytes: Uint8Array, at: number, width: number): bigint {
  let v = 0n;
  for (let i = width - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i] ?? 0);
  return v;
}

/** One opcode chunk from its byte and raw argument bytes. */
export function op(code: number, ...args: (Uint8Array | string | number[])[]): Chunk {
  const parts = args.map((a) => (typeof a === "string" ? Buffer.from(a, "latin1") : Uint8Array.from(a)));
  return { code, bytes: joinChunks([{ code: -1, bytes: Uint8Array.of(code) }, ...parts.map((p) => ({ code: -1, bytes: p }))]) };
}

export { OP };
