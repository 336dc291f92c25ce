// Writing pickles: to bytes, to a file (atomically), or to a stream (frame by frame, with
// backpressure), so a large value never sits in memory twice.
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { PyValue } from "../model/value.ts";
import { Pickler, type WriteOptions } from "./pickler.ts";

/** The pickle of `value` (Python's `pickle.dumps`). Default protocol 4. */
export function dumps(value: PyValue, options?: WriteOptions): Uint8Array {
  const pickler = new Pickler(options);
  pickler.dump(value);
  return pickler.out.result();
}

/** Something with Node's Writable `write(chunk)` / `once("drain")`. */
export interface WritableLike {
  write(chunk: Uint8Array): boolean;
  once(event: "drain", listener: () => void): unknown;
}

/**
 * Writes to `path` crash-safely: into a temporary file beside it, fsync, then rename over the
 * target. A crash mid-write leaves the previous file as it was. `write` is given a chunk sink.
 */
export async function writeFileAtomically(path: string, write: (sink: (chunk: Uint8Array) => void) => void | Promise<void>): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const fd = openSync(temp, "w", 0o644);
  try {
    await write((chunk) => {
      let at = 0;
      while (at < chunk.length) at += writeSync(fd, chunk, at, chunk.length - at);
    });
    fsyncSync(fd);
    closeSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(temp);
    throw e;
  }
  renameSync(temp, path);
}

/**
 * Python's `pickle.dump`: to a file path (written atomically) or a writable stream. Output goes out
 * frame by frame as it is made; a stream's backpressure is respected.
 */
export async function dump(value: PyValue, target: string | WritableLike, options?: WriteOptions): Promise<void> {
  if (typeof target === "string") {
    await writeFileAtomically(target, (sink) => new Pickler(options, sink).dump(value));
    return;
  }
  let blocked = false;
  const pickler = new Pickler(options, (chunk) => {
    if (!target.write(chunk)) blocked = true;
  });
  const drained = () => new Promise<void>((resolve) => target.once("drain", resolve));
  pickler.begin(value);
  while (!pickler.step()) {
    if (blocked) {
      blocked = false;
      await drained();
    }
  }
  pickler.end();
  if (blocked) await drained();
}

/** Several values as back-to-back pickles (what repeated `pickle.dump` calls write). */
export function dumpsAll(values: Iterable<PyValue>, options?: WriteOptions): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const v of values) parts.push(dumps(v, options));
  return Buffer.concat(parts);
}
