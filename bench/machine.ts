// The machine line every benchmark report starts with: cores, memory, Node and CPython versions.
import { execFileSync } from "node:child_process";
import { cpus, totalmem } from "node:os";

export const machineLine = () =>
  `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${execFileSync("python3", ["--version"], { encoding: "utf8" }).trim()}`;
