// safeIntegerOf reads a bigint's low 64 bits through a typed array: every value that 64 bits cannot
// hold, or that is not a safe integer, must come back NaN — a wrapped value would be written as a
// different int.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { safeIntegerOf } from "../../runtime/writer/bigint-number.ts";
import { dumps, loads } from "../../runtime/index.ts";

const test = suite("bigint → safe integer");

const SAFE = 2n ** 53n - 1n;

test("safe integers come back exact, whatever their halves", () => {
  const values = [0n, 1n, -1n, 255n, 256n, 65535n, -65536n, 2n ** 31n - 1n, -(2n ** 31n), 2n ** 31n, 2n ** 32n, -(2n ** 32n) - 1n, 2n ** 52n + 12345n, SAFE, -SAFE];
  for (const v of values) assert.is(safeIntegerOf(v), Number(v), `${v}`);
});

test("unsafe or wider than 64 bits: NaN (never the low 64 bits)", () => {
  const values = [SAFE + 1n, -SAFE - 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n, 2n ** 64n, 2n ** 64n + 5n, -(2n ** 64n) - 5n, 2n ** 64n + SAFE, 2n ** 70n, -(2n ** 200n) + 1n];
  for (const v of values) assert.ok(Number.isNaN(safeIntegerOf(v)), `${v}`);
});

test("ints the writer meets one at a time and in runs read back the same, 2^64 + 5 included", () => {
  const ints = [5n, 2n ** 64n + 5n, -(2n ** 64n) + 7n, SAFE, SAFE + 1n, -3n, 2n ** 63n];
  for (const protocol of [2, 4]) {
    assert.equal(loads(dumps(ints, { protocol })), ints, `a list (one run), protocol ${protocol}`);
    for (const v of ints) assert.is(loads(dumps(v, { protocol })), v, `${v} alone, protocol ${protocol}`);
  }
});

test.run();
