// `dis` prints exactly what pickletools.dis prints, for every pickle of CPython's test corpus.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { dis, DisError } from "../../runtime/inspect/dis.ts";
import { corpus } from "../support/corpus.ts";
import { fromHex } from "../support/python.ts";

const cases = corpus().filter((c) => c.ok);
const test = suite("dis");

test("matches pickletools.dis on every valid corpus pickle", () => {
  let compared = 0;
  const failures: string[] = [];
  for (const c of cases) {
    const data = fromHex(c.hex);
    if (c.dis === null || c.dis === undefined) {
      // pickletools refuses it (a sanity check fails): so must we.
      try {
        dis(data);
        failures.push(`${c.source} ${c.hex.slice(0, 60)}: pickletools refuses, we printed a listing`);
      } catch (e) {
        if (!(e instanceof DisError)) failures.push(`${c.source}: ${(e as Error).message}`);
      }
      continue;
    }
    compared++;
    try {
      const ours = dis(data).lines.join("\n") + "\n";
      if (ours !== c.dis) {
        const a = ours.split("\n");
        const b = c.dis.split("\n");
        const i = a.findIndex((line, k) => line !== b[k]);
        failures.push(`${c.source} ${c.hex.slice(0, 60)} line ${i}:\n  ours:   ${a[i]}\n  python: ${b[i]}`);
      }
    } catch (e) {
      failures.push(`${c.source} ${c.hex.slice(0, 60)}: ${(e as Error).message}`);
    }
  }
  assert.ok(compared > 5000, `only ${compared} compared`);
  assert.equal(failures.length, 0, `${failures.length} differ:\n${failures.slice(0, 10).join("\n")}`);
});

test.run();

import { runPythonJsonLines } from "../support/python.ts";

// Malformed input: CPython's bad corpus, truncations and seeded one-byte mutations of valid pickles,
// and MARKs taken as items. pickletools prints some lines and raises; we print the same lines and
// refuse. (Where pickletools crashes with something other than ValueError, e.g. IndexError on
// "(NRt.", only the lines are compared: our message is ours.)
const malformed = suite("dis on malformed pickles");

function malformedInputs(): Uint8Array[] {
  const inputs: Uint8Array[] = corpus()
    .filter((c) => !c.ok)
    .map((c) => fromHex(c.hex));
  for (const hex of ["284e522e", "284e52742e", "28284e52742e", "284e32742e", "28294e52652e", "2828744e52302e"]) inputs.push(fromHex(hex));
  let seed = 12345;
  const random = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
  const good = cases.filter((c) => c.dis).map((c) => fromHex(c.hex));
  for (let i = 0; i < 1500; i++) {
    const base = good[random(good.length)]!;
    const copy = base.slice();
    if (i % 3 === 0) inputs.push(copy.subarray(0, random(copy.length)));
    else {
      copy[random(copy.length)] = i % 3 === 1 ? random(256) : [0x28, 0x30, 0x31, 0x32, 0x52, 0x74, 0x94, 0x93][random(8)]!;
      inputs.push(copy);
    }
  }
  return inputs;
}

malformed("prints pickletools' complete lines and refuses exactly when pickletools raises", () => {
  const inputs = malformedInputs();
  const python = runPythonJsonLines<{ out: string; error: string | null; kind: string | null }>(
    [
      "-c",
      `
import io, json, pickletools, sys
for line in sys.stdin:
    out = io.StringIO()
    try:
        pickletools.dis(bytes.fromhex(line.strip()), out)
        error = kind = None
    except Exception as e:
        error, kind = str(e), type(e).__name__
    print(json.dumps({"out": out.getvalue(), "error": error, "kind": kind}))
`,
    ],
    inputs.map((b) => Buffer.from(b).toString("hex")).join("\n") + "\n",
  );
  const failures: string[] = [];
  let refused = 0;
  inputs.forEach((data, i) => {
    const expected = python[i]!;
    // pickletools prints an opcode's offset before it checks the opcode: drop an unfinished line.
    const complete = expected.out.slice(0, expected.out.lastIndexOf("\n") + 1);
    let lines: string[];
    let error: string | null = null;
    try {
      lines = dis(data).lines;
    } catch (e) {
      if (!(e instanceof DisError)) {
        failures.push(`${Buffer.from(data).toString("hex").slice(0, 80)}: raw ${(e as Error).name}: ${(e as Error).message}`);
        return;
      }
      lines = e.lines;
      error = e.message;
    }
    const ours = lines.length ? lines.join("\n") + "\n" : "";
    const hex = Buffer.from(data).toString("hex").slice(0, 80);
    if (ours !== complete) failures.push(`${hex}: listing differs\n  ours:   ${JSON.stringify(ours.slice(-200))}\n  python: ${JSON.stringify(complete.slice(-200))}`);
    else if ((error === null) !== (expected.error === null)) failures.push(`${hex}: ours ${error}, pickletools ${expected.kind}: ${expected.error}`);
    else if (error !== null && expected.kind === "ValueError" && error !== expected.error)
      failures.push(`${hex}: message ${JSON.stringify(error)} vs ${JSON.stringify(expected.error)}`);
    if (error !== null) refused++;
  });
  assert.ok(refused > 500, `only ${refused} refused`);
  assert.equal(failures.length, 0, `${failures.length} differ:\n${failures.slice(0, 200).join("\n")}`);
});

malformed("a MARK taken as an item ends the listing with an error, not a hang", () => {
  // "(NRt.": REDUCE consumes the MARK; TUPLE then finds none to unwind to.
  const error = (() => {
    try {
      dis(fromHex("284e52742e"));
    } catch (e) {
      return e as DisError;
    }
    return null;
  })();
  assert.instance(error, DisError);
  assert.equal(error!.lines, ["    0: (    MARK", "    1: N        NONE", "    2: R        REDUCE"]);
  assert.is(error!.pos, 3);
  assert.match(error!.message, /no MARK exists on stack/);
});

malformed("an int past 4,300 digits is refused with CPython's message, as pickletools' repr() refuses it", () => {
  const long4 = (n: number) => Uint8Array.from([0x80, 0x02, 0x8b, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, 0, ...new Uint8Array(n).fill(0x7f), 0x2e]);
  for (const n of [1790, 1800, 400_000]) {
    const [expected] = runPythonJsonLines<string | null>(
      [
        "-c",
        `import io, json, pickletools, sys\ntry:\n    pickletools.dis(bytes.fromhex(sys.stdin.read()), io.StringIO())\n    print(json.dumps(None))\nexcept ValueError as e:\n    print(json.dumps(str(e)))`,
      ],
      Buffer.from(long4(n)).toString("hex"),
    );
    let message: string | null = null;
    try {
      dis(long4(n));
    } catch (e) {
      assert.instance(e, DisError);
      message = (e as DisError).message;
    }
    assert.is(message, expected, `LONG4 of ${n} bytes`);
  }
  const text = Uint8Array.from(Buffer.from(`I${"1".repeat(4301)}\n.`, "latin1"));
  assert.throws(
    () => dis(text),
    (e: Error) => e instanceof DisError && /value has 4301 digits/.test(e.message),
  );
});

malformed.run();
