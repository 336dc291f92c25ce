// Reading pickles from a byte stream one at a time, without loading the whole input: the buffered
// bytes are parsed when they might hold a whole pickle; a truncated parse waits for twice as many
// bytes before it tries again, so the total work stays linear in the input. (File paths: the Node
// entry, runtime/node/stream.ts, reads a file as such a stream.)
import { FilePathNeedsNodeError } from "../file-paths.ts";
import { PickleBudgetError, PickleTruncatedError, UnpicklingError } from "../errors.ts";
import { withArticle } from "../format/indefinite-article.ts";
import type { PyValue } from "../model/value.ts";
import { DEFAULT_LIMITS } from "./limits.ts";
import { type ReadOptions, Unpickler } from "./unpickler.ts";

/**
 * Anything that yields byte chunks: a Node Readable, a web ReadableStream, an async generator.
 * Chunks may be any ArrayBufferView (their bytes are read: a DataView, a Float64Array, …) or an
 * ArrayBuffer. Anything else (a Readable with `setEncoding()` yields strings) is refused.
 */
export type ByteSource = AsyncIterable<Uint8Array | ArrayBufferView | ArrayBuffer>;

/**
 * Every pickle in a byte stream (under Node, also a file given by path), back to back, each with a
 * fresh memo. Offsets in errors count from the start of the input.
 */
export async function* loadStream(source: string | ByteSource, options?: ReadOptions): AsyncGenerator<PyValue> {
  if (typeof source === "string") throw new FilePathNeedsNodeError("loadStream", source);
  const iterator = source[Symbol.asyncIterator]();
  try {
    yield* pickles(iterator, options);
  } finally {
    // A consumer that stops early (after the first pickle, say) closes the file or stream too.
    await iterator.return?.();
  }
}

async function* pickles(iterator: AsyncIterator<unknown>, options?: ReadOptions): AsyncGenerator<PyValue> {
  const maxPickleBytes = options?.limits?.maxPickleBytes ?? DEFAULT_LIMITS.maxPickleBytes;
  let buffer = new Uint8Array(0);
  let start = 0; // buffer offset of the first byte no whole pickle has taken yet
  // One reader over the buffer, pickle after pickle, until more bytes are needed.
  let reader: Unpickler | null = null;
  const pending: Uint8Array[] = []; // chunks received since the last parse attempt
  let pendingBytes = 0;
  let consumed = 0; // input offset of buffer[0]
  let retryAt = 0; // parse again once this many unread bytes are at hand
  let ended = false;
  for (;;) {
    while (!ended && (buffer.length - start + pendingBytes === 0 || buffer.length - start + pendingBytes < retryAt)) {
      const { value, done } = await iterator.next();
      if (done) ended = true;
      else {
        const chunk = bytesOf(value, consumed + buffer.length + pendingBytes);
        pending.push(chunk);
        pendingBytes += chunk.length;
      }
    }
    if (pending.length > 0) {
      // One copy per parse attempt; attempts wait for the data to double, so copying stays linear.
      const unread = buffer.subarray(start);
      const joined = new Uint8Array(unread.length + pendingBytes);
      joined.set(unread);
      let at = unread.length;
      for (const chunk of pending) (joined.set(chunk, at), (at += chunk.length));
      consumed += start;
      buffer = joined;
      start = 0;
      reader = null;
      pending.length = 0;
      pendingBytes = 0;
    }
    if (buffer.length === start) return;
    if (reader === null) {
      reader = new Unpickler(buffer, options);
      reader.inputOffset = consumed;
    }
    reader.pos = start;
    let value: PyValue;
    try {
      value = reader.load();
    } catch (e) {
      // Truncated, or over a budget measured on the bytes at hand: more bytes may settle it.
      if ((e instanceof PickleTruncatedError || e instanceof PickleBudgetError) && !ended) {
        const unread = buffer.length - start;
        if (unread > maxPickleBytes) {
          throw new UnpicklingError(`pickle is longer than ${maxPickleBytes} bytes (limits.maxPickleBytes)`, consumed + start, "");
        }
        retryAt = Math.min(Math.max(unread * 2, unread + 1), maxPickleBytes + 1);
        continue;
      }
      throw e instanceof UnpicklingError ? e.shifted(consumed) : e;
    }
    start = reader.pos;
    retryAt = 0;
    yield value;
  }
}

/** A chunk's bytes (a view, never a copy), or a refusal for a chunk that is not bytes. */
function bytesOf(chunk: unknown, offset: number): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  const what =
    typeof chunk === "string"
      ? "a string (a stream with an encoding set decodes its bytes as text: leave the encoding unset)"
      : chunk === null || typeof chunk !== "object"
        ? withArticle(chunk === null ? "null" : typeof chunk)
        : withArticle((chunk as { constructor?: { name: string } }).constructor?.name ?? "object"); // Object.create(null) has no constructor
  throw new UnpicklingError(`stream chunk is ${what}, not bytes`, offset, "");
}

/** Reads the first pickle of a stream (under Node, also of a file given by path). */
export async function loadFrom(source: string | ByteSource, options?: ReadOptions): Promise<PyValue> {
  if (typeof source === "string") throw new FilePathNeedsNodeError("loadFrom", source);
  for await (const value of loadStream(source, options)) return value;
  throw new PickleTruncatedError("Ran out of input", 0);
}
