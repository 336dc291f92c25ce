// Decimal and UUID from and to text, against CPython 3.11 over many strings: the forms Python
// accepts and random edits of them. Ours gives Python's value (str()) or refuses where Python does;
// the one difference is non-ASCII digits, which Python reads and we refuse (loudly).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PyDecimal, PyUUID, dumps } from "typed-pickle";
import { runPython, toHex } from "../support/python.ts";
import { mutateTexts, seededRandom } from "../support/text-mutants.ts";

const test = suite("scalars");

function mutations(bases: readonly string[], alphabet: readonly string[], perBase: number): string[] {
  return mutateTexts(bases, { alphabet, perBase, maxEdits: 1, seed: 7 });
}

/** `str(f(s))` per string in Python, or "error" (ValueError / decimal.InvalidOperation). */
function python(f: string, texts: string[]): string[] {
  const code = `
import json, sys, uuid, decimal
from decimal import Decimal
out = []
for s in json.load(sys.stdin):
    try:
        out.append(str(${f}(s)))
    except (ValueError, decimal.InvalidOperation):
        out.append("error")
print(json.dumps(out))
`;
  return JSON.parse(runPython(["-c", code], JSON.stringify(texts)));
}

/** Ours: the str(), "error", or "ascii-only" (a refusal of non-ASCII digits, which Python reads). */
function ours(make: () => { toString(): string }): string {
  try {
    return make().toString();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return /ASCII/.test(e.message) || /[^\x00-\x7f]/.test(e.message) ? "non-ascii" : "error";
  }
}

function compare(texts: string[], theirs: string[], make: (t: string) => { toString(): string }): number {
  let accepted = 0;
  texts.forEach((text, i) => {
    const mine = ours(() => make(text));
    if (mine === "non-ascii" && theirs[i] !== "error") return; // Python reads non-ASCII digits; we refuse them
    assert.is(mine === "non-ascii" ? "error" : mine, theirs[i], JSON.stringify(text));
    if (mine !== "error" && mine !== "non-ascii") accepted++;
  });
  return accepted;
}

const DECIMALS = [
  "3.14",
  "-1.5e-3",
  "1_000.000_1",
  "0.0000001",
  "123E-10",
  ".5",
  "5.",
  "-0",
  "0E-7",
  "+Infinity",
  "-inf",
  "NaN",
  "-nan0012",
  "sNaN12",
  " 12 ",
  "\x1c1\x85",
  "1e999999999999999999",
  "12e999999999999999998",
  "1e-1999999999999999997",
  "0.1e1000000000000000000",
  "12345678901234567890123456789e-5",
  "1E+5",
  "100",
  "0.000001",
];
const DECIMAL_ALPHABET = ["0", "1", "9", "_", ".", "e", "E", "+", "-", " ", "\x1c", "\ufeff", "\u3000", "\0", "n", "a", "s", "i", "f", "１", "x"];

test("PyDecimal(text) and toString(): Python's Decimal(text) and str() over many strings", () => {
  const texts = mutations(DECIMALS, DECIMAL_ALPHABET, 80);
  const accepted = compare(texts, python("Decimal", texts), (t) => new PyDecimal(t));
  assert.ok(accepted > 200 && accepted < texts.length - 200, `${accepted} of ${texts.length}`);
  // A text JavaScript calls whitespace and Python does not (BOM) is refused: the pickle would not load.
  assert.throws(
    () => new PyDecimal("\ufeff1"),
    (e: unknown) => e instanceof RangeError && e.message === 'invalid literal for Decimal: "\\ufeff1"',
  );
  assert.throws(() => new PyDecimal("１２"), /write the digits in ASCII/);
});

/** Doubles of every kind: integers, binary fractions, subnormals, extremes, random bit patterns. */
function doubles(): number[] {
  const next = seededRandom(99);
  const view = new DataView(new ArrayBuffer(8));
  const out = [0, 1, -1, 0.1, 0.2, 0.5, 1 / 3, 2 ** 53, 2 ** 53 + 2, 1e22, 1e23, 123.456, -2.5e-300, Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** -1022, 2 ** -1023];
  while (out.length < 400) {
    view.setUint32(0, Math.floor(next() * 2 ** 32));
    view.setUint32(4, Math.floor(next() * 2 ** 32));
    const x = view.getFloat64(0);
    if (Number.isFinite(x)) out.push(x);
  }
  return out;
}

test("PyDecimal.fromNumber: Python's Decimal(float), the double's exact value", () => {
  const xs = doubles();
  // Sent as their IEEE bits: JSON would turn a large integral double into a Python int.
  const code = `
import json, struct, sys
from decimal import Decimal
print(json.dumps([str(Decimal(struct.unpack(">d", bytes.fromhex(h))[0])) for h in json.load(sys.stdin)]))
`;
  const bits = xs.map((x) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    return toHex(new Uint8Array(view.buffer));
  });
  const theirs: string[] = JSON.parse(runPython(["-c", code], JSON.stringify(bits)));
  for (const [i, x] of xs.entries()) assert.is(PyDecimal.fromNumber(x).toString(), theirs[i], String(x));
  assert.is(PyDecimal.fromNumber(0.1).toString(), "0.1000000000000000055511151231257827021181583404541015625");
  assert.is(PyDecimal.fromNumber(-0).toString(), "-0");
  assert.is(PyDecimal.fromNumber(NaN).toString(), "NaN");
  assert.is(PyDecimal.fromNumber(-Infinity).toString(), "-Infinity");
  assert.is(PyDecimal.fromBigInt(-(10n ** 40n)).toString(), "-10000000000000000000000000000000000000000");
  assert.is(PyDecimal.from("1.10").toString(), "1.10");
});

test("a PyDecimal built from a number is the Decimal Python loads", () => {
  const values = [PyDecimal.fromNumber(0.1), PyDecimal.fromNumber(-2.5e-300), PyDecimal.fromBigInt(2n ** 100n), PyDecimal.fromString("1_0.5")];
  const code = `
import pickle, sys
from decimal import Decimal
print([str(pickle.loads(bytes.fromhex(l))) for l in sys.stdin.read().split()])
`;
  const loaded = runPython(["-c", code], values.map((v) => toHex(dumps(v))).join("\n")).trim();
  assert.is(loaded, `[${values.map((v) => `'${v.toString()}'`).join(", ")}]`);
});

const UUIDS = [
  "12345678-1234-5678-1234-567812345678",
  "{12345678-1234-5678-1234-567812345678}",
  "urn:uuid:12345678123456781234567812345678",
  "12345678123456781234567812345678",
  "ABCDEF01-ABCD-ABCD-ABCD-ABCDEF012345",
  "+2345678123456781234567812345678",
  "0x345678123456781234567812345678",
  " 345678123456781234567812345678 ",
  "12_45678123456781234567812345678",
  "{{12345678123456781234567812345678}}",
];
const UUID_ALPHABET = ["0", "a", "F", "-", "{", "}", "_", " ", "+", "x", "g", "urn:", "uuid:", "\u3000", "１", "\ufeff"];

test("PyUUID.parse / fromString and toString(): Python's uuid.UUID(text) over many strings", () => {
  const texts = mutations(UUIDS, UUID_ALPHABET, 60);
  const accepted = compare(texts, python("uuid.UUID", texts), (t) => PyUUID.fromString(t));
  assert.ok(accepted > 100 && accepted < texts.length - 100, `${accepted} of ${texts.length}`);
  const u = PyUUID.parse("{ABCDEF01-ABCD-ABCD-ABCD-ABCDEF012345}");
  assert.is(u.hex, "abcdef01abcdabcdabcdabcdef012345");
  assert.is(u.urn, "urn:uuid:abcdef01-abcd-abcd-abcd-abcdef012345");
});

test.run();
