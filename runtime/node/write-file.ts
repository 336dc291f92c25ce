// Crash-safe file replacement (Node only): a new temporary file beside the target, fsync, rename.
import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { pid } from "node:process";

/** Temporary files of writeFileAtomically: `.<name>.typed-pickle-<pid>-<random>.tmp`, beside the target. */
export const TEMP_FILE_PATTERN = /^\..+\.typed-pickle-\d+-[0-9a-f]{32}\.tmp$/;

/** A new file only: never an existing file, never through a symlink planted at its name. */
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Writes to `path` crash-safely: into a new temporary file beside it (a random name, created with
 * O_EXCL | O_NOFOLLOW, so concurrent writers never share one and a planted symlink cannot redirect
 * it), fsync, then rename over the target. A crash mid-write leaves the previous file as it was
 * (and the temporary file, named by TEMP_FILE_PATTERN with the writer's pid). An existing file
 * keeps its permission bits (and, where the process may set them, its owner and group); a new one
 * gets 0o666 less the umask, as Python's open() gives it. A symlink at `path` is followed: the file
 * it points to is replaced. File-system failures are Node's own errors (with `code` and `path`).
 */
export async function writeFileAtomically(path: string, write: (sink: (chunk: Uint8Array) => void) => void | Promise<void>): Promise<void> {
  const target = followSymlink(path);
  const previous = statIfExists(target);
  const temp = join(dirname(target), `.${basename(target)}.typed-pickle-${pid}-${randomBytes(16).toString("hex")}.tmp`);
  const fd = openSync(temp, CREATE_NEW, 0o666);
  let renamed = false;
  try {
    if (previous) keepAccess(fd, previous);
    await write((chunk) => {
      let at = 0;
      while (at < chunk.length) at += writeSync(fd, chunk, at, chunk.length - at);
    });
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, target);
    renamed = true;
  } finally {
    if (!renamed) {
      try {
        closeSync(fd);
      } catch {
        // already closed (the rename failed)
      }
      try {
        unlinkSync(temp);
      } catch {
        // the original error is the one to report
      }
    }
  }
}

/** The file a symlink at `path` points to (as open() would write it), else `path`. */
function followSymlink(path: string): string {
  try {
    if (!lstatSync(path).isSymbolicLink()) return path;
    return realpathSync(path);
  } catch {
    return path; // no file yet, or a dangling link: replaced by the new file
  }
}

function statIfExists(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The previous file's permission bits, and its owner and group where this process may set them. */
function keepAccess(fd: number, previous: Stats): void {
  fchmodSync(fd, previous.mode & 0o7777);
  const mine = fstatSync(fd);
  if (mine.uid === previous.uid && mine.gid === previous.gid) return;
  try {
    fchownSync(fd, previous.uid, previous.gid);
    fchmodSync(fd, previous.mode & 0o7777); // chown clears setuid/setgid bits
  } catch {
    // Not permitted (not root, not in the group): the new file is the writer's, as with any replace.
  }
}
