// loadStream / loadFrom of the Node entry: as the core's, and a file given by path is read as a
// stream of 1 MiB chunks (closed when the reader stops, early or not).
import { open } from "node:fs/promises";
import type { PyValue } from "../model/value.ts";
import { type ByteSource, loadFrom as loadFromBytes, loadStream as loadStreamOfBytes } from "../reader/stream.ts";
import type { ReadOptions } from "../reader/unpickler.ts";

const CHUNK = 1 << 20;

/** A file's bytes, read in 1 MiB chunks (the file is opened at the first read). */
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

const bytesFrom = (source: string | ByteSource): ByteSource => (typeof source === "string" ? fileChunks(source) : source);

/**
 * Every pickle in a file (given by path) or byte stream, back to back, each with a fresh memo.
 * Offsets in errors count from the start of the input.
 */
export function loadStream(source: string | ByteSource, options?: ReadOptions): AsyncGenerator<PyValue> {
  return loadStreamOfBytes(bytesFrom(source), options);
}

/** Reads the first pickle of a file (given by path) or stream. */
export function loadFrom(source: string | ByteSource, options?: ReadOptions): Promise<PyValue> {
  return loadFromBytes(bytesFrom(source), options);
}
