// The portable core reads and writes bytes and streams only: a file path needs Node's file system.
// Under Node, the package's "node" export condition gives runtime/index.node.ts, whose functions of
// the same names take paths; anywhere else (a browser bundle, Deno, a worker) a path is refused
// with this error instead of being taken for data.

/**
 * A file path was given where the portable core (no Node) takes only bytes or a stream. Not a
 * PickleError: nothing was wrong with pickle data; the call itself cannot work on this platform.
 */
export class FilePathNeedsNodeError extends Error {
  override name = "FilePathNeedsNodeError";

  constructor(
    /** The function called ("loadFrom", "dump", …). */
    readonly entry: string,
    /** The path it was given. */
    readonly path: string,
  ) {
    super(`${entry}: file paths need Node: pass bytes or a stream (got the path ${JSON.stringify(path)} in the portable build of typed-pickle; the Node entry takes paths)`);
  }
}
