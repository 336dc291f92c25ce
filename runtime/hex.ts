// Bytes as lowercase hexadecimal text and back (tagged JSON's bytes, SHA-256 digests).
import { NodeBuffer, isHostBuffer } from "./host-bytes.ts";

const DIGITS = Array.from({ length: 256 }, (_, b) => (b + 0x100).toString(16).slice(1));

export function bytesToHex(bytes: Uint8Array): string {
  if (NodeBuffer !== undefined && bytes.length >= 64) {
    const buffer = isHostBuffer(bytes) ? bytes : NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return buffer.hexSlice(0, bytes.length);
  }
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += DIGITS[bytes[i]!]!;
  return s;
}

/** The bytes of an even-length hexadecimal string; anything else is a SyntaxError. */
export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new SyntaxError(`bad hex '${hex.length > 40 ? hex.slice(0, 40) + "…" : hex}'`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
