// Latin-1 (ISO-8859-1) text: every byte is the code point of the same number. (TextDecoder's
// "latin1" is windows-1252, which differs at 0x80–0x9F, so it is not used.)
import { NodeBuffer, isHostBuffer } from "./host-bytes.ts";

/** Code units per String.fromCharCode call: well under any engine's argument limit. */
const CHUNK = 8192;

export function latin1Decode(bytes: Uint8Array): string {
  if (bytes.length < 64) {
    let s = "";
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
    return s;
  }
  if (NodeBuffer !== undefined) {
    const buffer = isHostBuffer(bytes) ? bytes : NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return buffer.latin1Slice(0, bytes.length);
  }
  let s = "";
  for (let i = 0; i < bytes.length; i += CHUNK) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return s;
}
