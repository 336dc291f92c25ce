// Byte work the host can do faster than portable JavaScript. Node's Buffer decodes and encodes
// strings in C++ (reading string-heavy pickles takes ~1.4× the time without it: see
// bench/portable-core.ts) and hands out memory without zeroing it first. It is looked up on
// globalThis when this module loads — never imported — so the core also runs where there is no
// Buffer (browsers, Deno, workers): there the same results come from TextDecoder,
// TextEncoder.encodeInto and plain loops.

/** The Buffer methods used. The slice/write ones are on every Node Buffer but not in @types/node. */
interface HostBuffer extends Uint8Array {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
  utf8Write(text: string, offset: number, length: number): number;
}

interface HostBufferClass {
  new (...args: never[]): HostBuffer;
  readonly prototype: HostBuffer;
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): HostBuffer;
  allocUnsafeSlow(size: number): HostBuffer;
}

/** globalThis.Buffer when it has every method used; a polyfill without them is no faster than the portable code. */
function findHostBuffer(): HostBufferClass | undefined {
  const candidate = (globalThis as { Buffer?: unknown }).Buffer;
  if (typeof candidate !== "function") return undefined;
  const B = candidate as HostBufferClass;
  const p = B.prototype as Partial<HostBuffer> | undefined;
  const usable =
    p !== undefined &&
    p instanceof Uint8Array &&
    typeof p.utf8Slice === "function" &&
    typeof p.latin1Slice === "function" &&
    typeof p.hexSlice === "function" &&
    typeof p.utf8Write === "function" &&
    typeof B.from === "function" &&
    typeof B.allocUnsafeSlow === "function";
  return usable ? B : undefined;
}

/** Node's Buffer, or undefined where the host has none (then every helper below is portable). */
export const NodeBuffer: HostBufferClass | undefined = findHostBuffer();

/** True when `bytes` has the Buffer methods (a Buffer view of it is free: see hostView). */
export function isHostBuffer(bytes: Uint8Array): bytes is HostBuffer {
  return NodeBuffer !== undefined && bytes instanceof NodeBuffer;
}

/**
 * The same memory, as a Buffer where the host has Buffer (no copy), so that decodeUtf8 and the
 * latin1 helpers take the native path; else `bytes` itself. Either way it is read as a Uint8Array.
 */
export function hostView(bytes: Uint8Array): Uint8Array {
  if (NodeBuffer === undefined || bytes instanceof NodeBuffer) return bytes;
  return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `n` bytes whose contents are overwritten at once: not zeroed first where the host allows (a Buffer under Node). */
export function allocUninitialized(n: number): Uint8Array {
  return NodeBuffer !== undefined ? NodeBuffer.allocUnsafeSlow(n) : new Uint8Array(n);
}

/** The parts joined into one new array (a Buffer under Node, from allocUninitialized). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = allocUninitialized(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const encoder = new TextEncoder();

/**
 * Encodes `text` (no lone surrogate: TextEncoder would replace it) as UTF-8 into `buf` at `at`;
 * returns the byte count. `buf` comes from allocUninitialized (so it is a Buffer under Node), and
 * the caller has reserved 3 bytes per UTF-16 unit.
 */
export const writeUtf8: (buf: Uint8Array, text: string, at: number) => number =
  NodeBuffer !== undefined ? (buf, text, at) => (buf as HostBuffer).utf8Write(text, at, buf.length - at) : (buf, text, at) => encoder.encodeInto(text, buf.subarray(at)).written;
