// dump() of the Node entry: as the core's, and to a file path, replaced atomically.
import type { PyValue } from "../model/value.ts";
import { dump as dumpToStream, type WritableLike } from "../writer/dump.ts";
import { Pickler, type WriteOptions } from "../writer/pickler.ts";
import { writeFileAtomically } from "./write-file.ts";

/**
 * Python's `pickle.dump`: to a file path (written atomically) or a writable stream. Output goes out
 * frame by frame as it is made; a stream's backpressure is respected.
 */
export async function dump(value: PyValue, target: string | WritableLike, options?: WriteOptions): Promise<void> {
  if (typeof target !== "string") return dumpToStream(value, target, options);
  await writeFileAtomically(target, (sink) => new Pickler(options, sink).dump(value));
}
