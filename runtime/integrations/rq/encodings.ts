// The two wrappings RQ puts around bytes: zlib (the job's `data` and `exc_info`, a result's
// `exc_string`) and base64 (a result stream's fields). Reading them is bounded and strict: what
// Redis holds is input like any other.
import { deflateSync, inflateSync } from "node:zlib";
import { RqProtocolError } from "./errors.ts";

/** The most a compressed field may inflate to unless the caller raises it (a zlib bomb stops here). */
export const DEFAULT_MAX_INFLATED = 64 << 20;

/** zlib.compress at its default level, as RQ calls it. */
export function compress(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(deflateSync(bytes));
}

export function decompress(bytes: Uint8Array, key: string, field: string, maxLength = DEFAULT_MAX_INFLATED): Uint8Array {
  try {
    return new Uint8Array(inflateSync(bytes, { maxOutputLength: maxLength }));
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === "ERR_BUFFER_TOO_LARGE" ? `inflates to more than ${maxLength} bytes` : "is not zlib data";
    throw new RqProtocolError(key, `field ${field} ${why}`);
  }
}

// Canonical base64, as Python's b64encode writes it; Buffer.from would skip any stray character.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function fromBase64(bytes: Uint8Array, key: string, field: string): Uint8Array {
  const text = new TextDecoder("latin1").decode(bytes);
  if (!BASE64.test(text)) throw new RqProtocolError(key, `field ${field} is not base64`);
  return new Uint8Array(Buffer.from(text, "base64"));
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** UTF-8 text, refusing bytes that are not UTF-8. */
export function utf8Text(bytes: Uint8Array, key: string, field: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new RqProtocolError(key, `field ${field} is not UTF-8 text`);
  }
}
