// The reader's tight loop for runs of numbers after a MARK (lists of floats and ints) must behave as
// the opcode-by-opcode loop: the same values wherever the run ends, frames inside it, and the same
// errors when the APPENDS has no list to go to.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PyTuple, UnpicklingError, loads } from "typed-pickle";
import { runPython } from "../support/python.ts";

const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));
const f64 = (x: number) =>
  Buffer.from(new Float64Array([x]).buffer)
    .reverse()
    .toString("hex");
const frame = (n: number) => "95" + Buffer.from(new BigUint64Array([BigInt(n)]).buffer).toString("hex");

const test = suite("reader: number runs");

test("a list of floats and ints with a FRAME in the middle of a batch", () => {
  const body = `5d 28 47${f64(1.5)} 4b07 4a ffffffff ${frame(12)} 47${f64(-0)} 4d 0001 65 2e`;
  const v = loads(hex("8004" + body)) as unknown[];
  assert.equal(v.slice(0, 3), [1.5, 7n, -1n]);
  assert.ok(Object.is(v[3], -0));
  assert.is(v[4], 256n);
});

test("LONG1 inside a run, and the int digit limit still applies there", () => {
  const body = "80 04 5d 28 4b01 8a 08 0000000000000080 8a 07 ffffffffffff7f 8a 02 ff7f 65 2e";
  assert.equal(loads(hex(body)), [1n, -(2n ** 63n), 2n ** 55n - 1n, 32767n]);
  assert.throws(() => loads(hex(body), { limits: { maxIntDigits: 10 } }), /more than 10 digits/);
});

test("lists of strings after a MARK: memo puts and gets, decoding errors named by offset and opcode", () => {
  // ['ab', 'ab' (BINGET), 'é', 1, 'ab' (BINGET)] with MEMOIZE after each new string
  const list = loads(hex("80 04 5d 94 28 8c 02 6162 94 68 01 8c 02 c3a9 94 4b01 68 01 65 68 02 85 2e")) as PyTuple;
  assert.equal(list.items, ["é"]);
  const flat = loads(hex("80 04 5d 94 28 8c 02 6162 94 68 01 8c 02 c3a9 94 4b01 68 01 65 2e"));
  assert.equal(flat, ["ab", "ab", "é", 1n, "ab"]);
  assert.throws(
    () => loads(hex("80 04 5d 28 8c 01 61 8c 01 ff 65 2e")),
    (e: unknown) => e instanceof UnpicklingError && e.offset === 7 && e.opcode === "SHORT_BINUNICODE",
  );
  // BINGET of an index never put: the loop's error
  assert.throws(() => loads(hex("80 04 5d 28 8c 01 61 68 05 65 2e")), /Memo value not found at index 5/);
  // the memo limit still applies inside a run
  assert.throws(() => loads(hex("80 04 5d 28 8c 01 61 94 8c 01 62 94 65 2e"), { limits: { maxMemo: 1 } }), /maxMemo/);
});

test("a run that ends in something else: a tuple, a dict, a nested list", () => {
  const t = loads(hex(`80 04 28 47${f64(2)} 4b01 74 2e`)) as PyTuple;
  assert.ok(t instanceof PyTuple);
  assert.equal(t.items, [2, 1n]);
  const d = loads(hex(`80 04 7d 28 4b01 47${f64(3)} 4b02 4b03 75 2e`)) as Map<unknown, unknown>;
  assert.equal(
    [...d],
    [
      [1n, 3],
      [2n, 3n],
    ],
  );
  const nested = loads(hex(`80 04 5d 28 4b01 5d 28 4b02 4b03 65 65 2e`));
  assert.equal(nested, [1n, [2n, 3n]]);
});

test("APPENDS after a run with no list below the MARK: the loop's errors", () => {
  for (const [pickle, message] of [
    [`80 04 28 47${f64(1)} 65 2e`, /stack underflow|unexpected MARK/],
    [`80 04 4b01 28 47${f64(1)} 65 2e`, /cannot append to int/],
    [`80 04 5d 28 28 4b01 65 2e`, /unexpected MARK|underflow/],
  ] as const) {
    assert.throws(
      () => loads(hex(pickle)),
      (e: unknown) => e instanceof UnpicklingError && message.test((e as Error).message),
      pickle,
    );
  }
  // A truncated run: the loop reports the truncation at the opcode that was cut.
  assert.throws(() => loads(hex(`80 04 5d 28 47${f64(1)} 47 0000`)), /truncated/);
});

test("CPython's own list pickles of numbers read to the same values", () => {
  const out = JSON.parse(
    runPython(["-c", "import pickle, json; v=[i/3 for i in range(2500)]+list(range(-70000, 70000, 7)); print(json.dumps([pickle.dumps(v, p).hex() for p in (1, 2, 3, 4, 5)]))"]),
  ) as string[];
  const expected = [...Array.from({ length: 2500 }, (_, i) => i / 3), ...Array.from({ length: 20000 }, (_, i) => BigInt(-70000 + 7 * i))];
  for (const h of out) assert.equal(loads(hex(h)), expected);
});

test.run();
