// Writing pickles: to bytes, or to a stream (frame by frame, with backpressure), so a large value
// never sits in memory twice. (To a file path, atomically: the Node entry, runtime/node/dump.ts.)
import { FilePathNeedsNodeError } from "../file-paths.ts";
import { concatBytes } from "../host-bytes.ts";
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
 * Writes to `path` crash-safely (see runtime/node/write-file.ts): under Node only. The portable
 * core refuses with FilePathNeedsNodeError.
 */
export async function writeFileAtomically(path: string, write: (sink: (chunk: Uint8Array) => void) => void | Promise<void>): Promise<void> {
  void write;
  throw new FilePathNeedsNodeError("writeFileAtomically", path);
}

/**
 * Python's `pickle.dump`: to a writable stream (under Node, also to a file path, written
 * atomically). Output goes out frame by frame as it is made; a stream's backpressure is respected.
 */
export async function dump(value: PyValue, target: string | WritableLike, options?: WriteOptions): Promise<void> {
  if (typeof target === "string") throw new FilePathNeedsNodeError("dump", target);
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
  return concatBytes(parts);
}
