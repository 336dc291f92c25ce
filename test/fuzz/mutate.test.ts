// The fuzzer's mutators: deterministic from a seed, lossless opcode splitting, and each mutator
// actually changes CPython-written pickles in its own way.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { MUTATORS, MAX_INPUT, mutate } from "../../fuzz/mutate.ts";
import { joinChunks, splitOps } from "../../fuzz/ops.ts";
import { Rng } from "../../fuzz/prng.ts";
import { runSeeds } from "../../fuzz/seeds.ts";

const test = suite("fuzz mutators");
const seeds = runSeeds();
const seedBytes = seeds.map((s) => s.data);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

test("the seeds: every kind of value at protocols 0-5 and pickletester's DATA0..DATA4", () => {
  const names = seeds.map((s) => s.name);
  for (const kind of [
    "big_ints",
    "floats",
    "strs",
    "bytearray",
    "sets",
    "datetimes",
    "decimal",
    "uuid",
    "ordereddict",
    "complex",
    "enums",
    "list_cycle",
    "myapp_user",
    "myapp_everything",
  ]) {
    for (let p = kind === "myapp_everything" ? 2 : 0; p <= 5; p++) assert.ok(names.includes(`${kind}@${p}`), `${kind}@${p}`);
  }
  for (let i = 0; i <= 4; i++) assert.ok(names.includes(`pickletester.DATA${i}`));
});

test("splitting into opcodes and joining gives back every seed, and mangled bytes too", () => {
  for (const s of seeds) {
    const chunks = splitOps(s.data);
    assert.ok(
      chunks.every((c) => c.code >= 0),
      `${s.name} did not split cleanly`,
    );
    assert.is(hex(joinChunks(chunks)), hex(s.data));
    const broken = s.data.slice(0, s.data.length >> 1);
    assert.is(hex(joinChunks(splitOps(broken))), hex(broken));
  }
});

test("the same seed gives the same mutants; another seed others", () => {
  const run = (seed: number) => {
    const rng = new Rng(seed);
    return Array.from({ length: 200 }, () => hex(mutate(rng.fork(), rng.pick(seedBytes), seedBytes).data)).join(",");
  };
  assert.is(run(42), run(42));
  assert.is.not(run(42), run(43));
});

test("every mutator changes pickles, and mutants stay under the input cap", () => {
  const rng = new Rng(7);
  for (const [name, mutator] of Object.entries(MUTATORS)) {
    let changed = 0;
    for (let i = 0; i < 50; i++) {
      const seed = rng.pick(seedBytes);
      const out = joinChunks(mutator(rng, splitOps(seed), () => splitOps(rng.pick(seedBytes))));
      if (hex(out) !== hex(seed)) changed++;
    }
    assert.ok(changed >= 25, `${name} changed only ${changed} of 50`);
  }
  for (let i = 0; i < 300; i++) assert.ok(mutate(rng.fork(), rng.pick(seedBytes), seedBytes).data.length <= MAX_INPUT);
});

test("memo games write far indices; length lies write edge values", () => {
  const rng = new Rng(11);
  const user = seeds.find((s) => s.name === "myapp_user@2")!.data;
  const outs = Array.from({ length: 200 }, () => hex(joinChunks(MUTATORS.memoGames!(rng, splitOps(user), () => []))));
  assert.ok(
    outs.some((h) => h.includes("72000000017201000001") || h.includes("72000000047201000004")),
    "no far LONG_BINPUT pair",
  );
  assert.ok(
    outs.some((h) => /(94){1000}/.test(h)),
    "no MEMOIZE flood",
  );
});

test.run();
