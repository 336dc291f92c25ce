// What every command does with the files it is given and the errors it reports: only regular files
// and pipes are read (a character device such as /dev/zero never ends), and a message that may
// quote a pickle is escaped before it reaches the terminal.
import { readFileSync, statSync } from "node:fs";
import { escapeUnprintable } from "../../runtime/format/str-repr.ts";

/** An input the CLI will not read; its message names why. */
export class InputError extends Error {}

/** Throws InputError unless `path` is a regular file or a pipe (FIFO, process substitution, /dev/stdin). */
export function checkInput(path: string): void {
  const kind = (() => {
    const s = statSync(path);
    if (s.isFile() || s.isFIFO()) return null;
    if (s.isCharacterDevice()) return "a character device";
    if (s.isBlockDevice()) return "a block device";
    if (s.isDirectory()) return "a directory";
    if (s.isSocket()) return "a socket";
    return "not a regular file";
  })();
  if (kind) throw new InputError(`${kind}: only regular files and pipes are read`);
}

/** The whole of an input file, after checkInput. */
export function readInput(path: string): Uint8Array {
  checkInput(path);
  return readFileSync(path);
}

/** An error's message fit for the terminal: control characters and terminal escapes escaped. */
export function errorText(e: unknown): string {
  return escapeUnprintable(e instanceof Error ? e.message : String(e));
}

/**
 * A command failed with an error it did not expect: one line, no stack trace (set
 * TYPED_PICKLE_DEBUG=1 to see it), exit 2. Commands report bad input themselves.
 */
export function reportInternalError(e: unknown): never {
  const detail = process.env.TYPED_PICKLE_DEBUG && e instanceof Error && e.stack ? e.stack : errorText(e);
  process.stderr.write(`typed-pickle: internal error (please report it): ${detail}\n`);
  process.exit(2);
}
