// Reading pickles from a file or a Node stream one at a time, without loading the whole input:
// the buffered bytes are parsed when they might hold a whole pickle; a truncated parse waits for
// twice as many bytes before it tries again, so the total work stays linear in the input.
import { open } from "node:fs/promises";
import { PickleTruncatedError, UnpicklingError } from "../errors.ts";
import type { PyValue } from "../model/value.ts";
import { type ReadOptions, Unpickler } from "./unpickler.ts";

/** Anything that yields byte chunks: a Node Readable, a web ReadableStream, an async generator. */
export type ByteSource = AsyncIterable<Uint8Array>;

const CHUNK = 1 << 20;

/** A file's bytes, read in 1 MiB chunks. */
async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const handle = await open(path, "r");
  try {
    for (;;) {
      const buffer = new Uint8Array(CHUNK);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Every pickle in a file (given by path) or byte stream, back to back, each with a fresh memo.
 * Offsets in errors count from the start of the input.
 */
export async function* loadStream(source: string | ByteSource, options?: ReadOptions): AsyncGenerator<PyValue> {
  const chunks = typeof source === "string" ? fileChunks(source) : source;
  const iterator = chunks[Symbol.asyncIterator]();
  try {
    yield* pickles(iterator, options);
  } finally {
    // A consumer that stops early (after the first pickle, say) closes the file or stream too.
    await iterator.return?.();
  }
}

async function* pickles(iterator: AsyncIterator<Uint8Array>, options?: ReadOptions): AsyncGenerator<PyValue> {
  let buffer = new Uint8Array(0);
  const pending: Uint8Array[] = []; // chunks received since the last parse attempt
  let pendingBytes = 0;
  let consumed = 0; // input offset of buffer[0]
  let retryAt = 0; // parse again once this many bytes are at hand
  let ended = false;
  for (;;) {
    while (!ended && (buffer.length + pendingBytes === 0 || buffer.length + pendingBytes < retryAt)) {
      const { value, done } = await iterator.next();
      if (done) ended = true;
      else {
        const chunk = value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBufferLike);
        pending.push(chunk);
        pendingBytes += chunk.length;
      }
    }
    if (pending.length > 0) {
      // One copy per parse attempt; attempts wait for the data to double, so copying stays linear.
      const joined = new Uint8Array(buffer.length + pendingBytes);
      joined.set(buffer);
      let at = buffer.length;
      for (const chunk of pending) (joined.set(chunk, at), (at += chunk.length));
      buffer = joined;
      pending.length = 0;
      pendingBytes = 0;
    }
    if (buffer.length === 0) return;
    const reader = new Unpickler(buffer, options);
    let value: PyValue;
    try {
      value = reader.load();
    } catch (e) {
      if (e instanceof PickleTruncatedError && !ended) {
        retryAt = Math.max(buffer.length * 2, buffer.length + 1);
        continue;
      }
      throw e instanceof UnpicklingError ? e.shifted(consumed) : e;
    }
    consumed += reader.pos;
    buffer = buffer.subarray(reader.pos);
    retryAt = 0;
    yield value;
  }
}

/** Reads the first pickle of a file or stream. */
export async function loadFrom(source: string | ByteSource, options?: ReadOptions): Promise<PyValue> {
  for await (const value of loadStream(source, options)) return value;
  throw new PickleTruncatedError("Ran out of input", 0);
}
