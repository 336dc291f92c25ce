// The inputs of `infer`: files and directories (walked recursively, in name order), each file read
// as one or more pickles back to back, in opaque mode (nothing is imported or called). A file that
// is not a pickle, or breaks off, is reported and the rest go on.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { PyValue } from "../../runtime/model/value.ts";
import { loadsAll } from "../../runtime/reader/unpickler.ts";

/** Every file under the paths given (a file as itself), directories in name order. */
export function inputFiles(paths: readonly string[]): string[] {
  return paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .sort()
          .flatMap((name) => inputFiles([join(p, name)]))
      : [p],
  );
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Calls `each` with every pickle of every file; `problem` hears about each file that is not (all) pickles. */
export function readPickles(paths: readonly string[], each: (value: PyValue, file: string) => void, problem: (file: string, message: string) => void): number {
  let pickles = 0;
  for (const file of inputFiles(paths)) {
    let read = 0;
    try {
      const data = readFileSync(file);
      if (data.length === 0) throw new Error("empty file");
      for (const value of loadsAll(data, { mode: "opaque" })) {
        each(value, file);
        read++;
      }
    } catch (e) {
      problem(file, read === 0 ? `not a pickle: ${message(e)}` : `read ${read} pickle${read === 1 ? "" : "s"}, then: ${message(e)}`);
    }
    pickles += read;
  }
  return pickles;
}
