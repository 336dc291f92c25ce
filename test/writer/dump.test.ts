// dump() to files and streams: frame by frame, CPython's bytes, no second copy of a large output,
// and a failed dump leaves the previous file as it was.
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PicklingError, dump, dumps, type PyValue } from "../../runtime/index.node.ts";
import { runPython } from "../support/python.ts";

const dir = mkdtempSync(join(tmpdir(), "typed-pickle-dump-"));
const test = suite("dump");

/** The same value on both sides: 48 × 1 MiB blobs, 20 one-million-character strings, 2M small ints. */
const BIG_PY = `[bytes([i]) * 1048576 for i in range(48)] + ['é' * 1_000_000 + str(i) for i in range(20)] + [list(range(2_000_000))]`;
function bigValue(): PyValue {
  const blobs = Array.from({ length: 48 }, (_, i) => new Uint8Array(1 << 20).fill(i));
  const strings = Array.from({ length: 20 }, (_, i) => "é".repeat(1_000_000) + String(i));
  const ints = Array.from({ length: 2_000_000 }, (_, i) => BigInt(i));
  return [...blobs, ...strings, ints];
}

test("a ≥ 64 MiB pickle dumped to a file is CPython's, byte for byte, without a second copy in memory", async () => {
  const [pySize, pyHash] = runPython(["-c", `import hashlib, pickle\ndata = pickle.dumps(${BIG_PY}, 4)\nprint(len(data), hashlib.sha256(data).hexdigest())`])
    .trim()
    .split(" ");
  assert.ok(Number(pySize) >= 64 << 20, `only ${pySize} bytes`);
  const value = bigValue();
  global.gc?.();
  const before = process.resourceUsage().maxRSS * 1024;
  const path = join(dir, "big.pkl");
  await dump(value, path);
  const after = process.resourceUsage().maxRSS * 1024;
  const grew = after - before;
  console.log(`    dump of ${(Number(pySize) / 2 ** 20).toFixed(1)} MiB to a file raised peak RSS by ${(grew / 2 ** 20).toFixed(1)} MiB`);
  // A second full copy of the output would raise it by the output's size; garbage (encoded strings,
  // flushed frames) not yet collected accounts for what it does grow.
  assert.ok(grew < Number(pySize), `peak memory grew by ${grew} bytes for a ${pySize}-byte output`);
  const written = readFileSync(path);
  assert.is(written.length, Number(pySize));
  assert.is(createHash("sha256").update(written).digest("hex"), pyHash);
});

test("dump to a stream respects backpressure and gives the same bytes as dumps", async () => {
  const value: PyValue = Array.from({ length: 300_000 }, (_, i) => (i % 3 === 0 ? `s${i}` : BigInt(i)));
  const chunks: Buffer[] = [];
  let waits = 0;
  const slow = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      setImmediate(done);
    },
  });
  slow.on("drain", () => waits++);
  await dump(value, slow);
  assert.ok(chunks.length > 5, `${chunks.length} chunks`);
  assert.ok(waits > 0, "never waited for drain");
  assert.equal(new Uint8Array(Buffer.concat(chunks)), dumps(value));
});

test("a dump that fails part way leaves the previous file intact and no temporary file", async () => {
  const path = join(dir, "state.pkl");
  writeFileSync(path, dumps(["previous", 1n]));
  const before = readFileSync(path);
  const bad = [...Array.from({ length: 100_000 }, (_, i) => BigInt(i)), () => "not picklable"] as unknown as PyValue;
  try {
    await dump(bad, path);
    assert.unreachable("accepted");
  } catch (e) {
    assert.instance(e, PicklingError);
    assert.is((e as PicklingError).path, "$[100000]");
  }
  assert.equal(readFileSync(path), before);
  assert.equal(
    readdirSync(dir).filter((f) => f.includes("state.pkl") && f !== "state.pkl"),
    [],
  );
});

test.run();
