// typed-pickle under Node (the package's "node" export condition): the portable core, plus the
// functions that take file paths. The re-exports below shadow the core's functions of the same
// names (which take only bytes and streams and refuse a path); the signatures are the same.
export * from "./index.ts";
export { loadStream, loadFrom } from "./node/stream.ts";
export { dump } from "./node/dump.ts";
export { loadTyped, dumpTyped, functionsFor } from "./node/typed-io.ts";
export { writeFileAtomically } from "./node/write-file.ts";
