// dumpsX / loadsX / dumpX / loadX of a generated module, made from the codec: the same four
// functions for every class and enum, so the module declares them in one line each.
import type { ByteSource } from "../reader/stream.ts";
import type { WritableLike } from "../writer/dump.ts";
import type { Codec } from "./codec.ts";
import type { TypedDumpOptions, TypedLoadOptions } from "./io.ts";

export interface CodecFunctions<T> {
  /** The pickle of a value, as Python's `pickle.dumps` of the object it stands for would be. */
  dumps(value: T, options?: TypedDumpOptions): Uint8Array;
  /** A value from a pickle; only the schema's classes and the standard reductions may appear. */
  loads(data: Uint8Array, options?: TypedLoadOptions): T;
  /** Writes a value to a file (atomically: temp file, fsync, rename; Node only) or a stream. */
  dump(value: T, target: string | WritableLike, options?: TypedDumpOptions): Promise<void>;
  /** Reads a value from a file (Node only) or a stream. */
  load(source: string | ByteSource, options?: TypedLoadOptions): Promise<T>;
}

/** The typed entry points an entry (the portable core, or Node's with file paths) provides. */
export interface TypedIo {
  dumpsTyped<T>(codec: Codec<T>, value: T, options?: TypedDumpOptions): Uint8Array;
  loadsTyped<T>(codec: Codec<T>, data: Uint8Array, options?: TypedLoadOptions): T;
  dumpTyped<T>(codec: Codec<T>, value: T, target: string | WritableLike, options?: TypedDumpOptions): Promise<void>;
  loadTyped<T>(codec: Codec<T>, source: string | ByteSource, options?: TypedLoadOptions): Promise<T>;
}

/** `functionsFor` over one entry's typed functions. */
export function codecFunctions(io: TypedIo): <T>(codec: Codec<T>) => CodecFunctions<T> {
  return (codec) => ({
    dumps: (value, options) => io.dumpsTyped(codec, value, options),
    loads: (data, options) => io.loadsTyped(codec, data, options),
    dump: (value, target, options) => io.dumpTyped(codec, value, target, options),
    load: (source, options) => io.loadTyped(codec, source, options),
  });
}
