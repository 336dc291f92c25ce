// Peak memory of dumping the blob workload to a file, measured in a fresh process (a long benchmark
// process has its own high-water mark): peak RSS above what holding the value costs, ÷ output size.
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dump, loads } from "typed-pickle";

const input = process.argv[2]!;
const data = readFileSync(input);
const value = loads(data);
global.gc?.();
const holding = process.memoryUsage().rss;
const path = join(tmpdir(), `typed-pickle-blob-${process.pid}.pkl`);
await dump(value, path, { protocol: 4 });
const peak = process.resourceUsage().maxRSS * 1024;
rmSync(path);
console.log(JSON.stringify({ outputBytes: data.length, extraPeakBytes: Math.max(0, peak - holding) }));
