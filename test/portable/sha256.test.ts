// The hand-written SHA-256 (runtime/format/sha256.ts) gives hashlib.sha256's digests — at every
// length around the 64-byte block and its 55/56-byte padding edge, for random and large messages —
// and tagged JSON orders a set's long members by python/tagged.py's digests.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { sha256 } from "../../runtime/format/sha256.ts";
import { stringifyTagged, toTagged } from "../../runtime/format/tagged-json.ts";
import { loads } from "../../runtime/index.ts";
import { bytesToHex, hexToBytes } from "../../runtime/hex.ts";
import { fromHex, runPython } from "../support/python.ts";

const test = suite("SHA-256");

/** Deterministic pseudo-random bytes (xorshift), so python3 gets the same messages by hex. */
function message(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const lengths = [...Array.from({ length: 200 }, (_, i) => i), 447, 448, 511, 512, 1000, 4095, 4096, 65_537, 1_000_003];
const messages = lengths.map((n, i) => message(n, i + 1));

test("digests equal hashlib.sha256 at lengths 0–199 and across block edges up to 1 MB", () => {
  const expected = runPython(
    ["-c", "import hashlib, sys\nfor line in sys.stdin.read().split():\n    print(hashlib.sha256(bytes.fromhex(line[1:])).hexdigest())"],
    messages.map((m) => "x" + bytesToHex(m)).join("\n"),
  )
    .trim()
    .split("\n");
  assert.is(expected.length, messages.length);
  for (const [i, m] of messages.entries()) assert.is(bytesToHex(sha256(m)), expected[i], `length ${m.length}`);
});

test("the FIPS 180-4 examples: 'abc' and the 448-bit message", () => {
  assert.is(bytesToHex(sha256(new TextEncoder().encode("abc"))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.is(
    bytesToHex(sha256(new TextEncoder().encode("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
});

test("hex: round trip, and malformed hex is a SyntaxError (not silently cut short)", () => {
  for (const m of messages.slice(0, 80)) assert.equal(hexToBytes(bytesToHex(m)), m);
  assert.is(bytesToHex(hexToBytes("00FFab")), "00ffab");
  for (const bad of ["0", "zz", "0g", "00 ", "é0"])
    assert.throws(
      () => hexToBytes(bad),
      (e: unknown) => e instanceof SyntaxError,
    );
});

test("a set of members with long keys (non-ASCII, lone surrogates, nested tuples) is ordered as python/tagged.py orders it", () => {
  const made = JSON.parse(
    runPython([
      "-c",
      `
import json, pickle
from tagged import to_tagged
value = {"\\ud800" * 300, "\\udc00" * 300 + "a", "\\u00e9" * 129, "\\U0001f600" * 200, ("t", "x" * 260), ("t", "y" * 260), frozenset({"z" * 300})}
print(json.dumps({"hex": pickle.dumps(value, 4).hex(), "tagged": to_tagged(value)}))
`,
    ]),
  ) as { hex: string; tagged: unknown };
  assert.equal(JSON.parse(stringifyTagged(toTagged(loads(fromHex(made.hex))))), made.tagged);
});

test.run();
