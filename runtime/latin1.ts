// Latin-1 (ISO-8859-1) text: every byte is the code point of the same number. (TextDecoder's
// "latin1" is windows-1252, which differs at 0x80–0x9F, so it is not used.)

export function latin1Decode(bytes: Uint8Array): string {
  if (bytes.length < 64) {
    let s = "";
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
    return s;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}
