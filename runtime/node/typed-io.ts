// loadTyped / dumpTyped of the Node entry: as the core's, and with file paths — a file of ordinary
// size is read whole (the fast path needs the bytes at hand), a larger one streamed; a file is
// written atomically.
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import type { ByteSource } from "../reader/stream.ts";
import type { Codec } from "../typed/codec.ts";
import { codecFunctions } from "../typed/codec-functions.ts";
import {
  dumpTyped as dumpTypedToStream,
  dumpsTyped,
  loadTyped as loadTypedFromStream,
  loadsTyped,
  onlyStrict,
  typedOutput,
  type TypedDumpOptions,
  type TypedLoadOptions,
} from "../typed/io.ts";
import type { WritableLike } from "../writer/dump.ts";
import { dump } from "./dump.ts";
import { writeFileAtomically } from "./write-file.ts";

/** Files up to this size are read whole for typed loads; larger ones are streamed. */
const WHOLE_FILE = 64 << 20;

/** Reads the first pickle of a file (given by path) or stream as a typed value. */
export async function loadTyped<T>(codec: Codec<T>, source: string | ByteSource, options: TypedLoadOptions = {}): Promise<T> {
  if (typeof source !== "string") return loadTypedFromStream(codec, source, options);
  if (codec.read && onlyStrict(options) && (await stat(source)).size <= WHOLE_FILE) {
    // Trailing bytes after the first pickle are ignored, as the stream reader does.
    return loadsTyped(codec, await readFile(source), options);
  }
  return loadTypedFromStream(codec, createReadStream(source, { highWaterMark: 1 << 20 }), options);
}

/** Writes a typed value to a file (atomically) or stream. */
export async function dumpTyped<T>(codec: Codec<T>, value: T, target: string | WritableLike, options: TypedDumpOptions = {}): Promise<void> {
  if (typeof target !== "string") return dumpTypedToStream(codec, value, target, options);
  const output = typedOutput(codec, value, options);
  if ("value" in output) return dump(output.value, target, options);
  return writeFileAtomically(target, (sink) => sink(output.bytes));
}

/** dumpsX / loadsX / dumpX / loadX for a codec, with file paths (generated modules declare theirs with it). */
export const functionsFor = codecFunctions({ dumpsTyped, loadsTyped, dumpTyped, loadTyped });
