// dumps() writes into one working buffer lent from call to call and returns a copy of just the
// output: results never share memory with each other or with the next call, and a small result
// does not keep a large buffer alive.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PyTuple, dumps, dumpsTyped, loads, T } from "../../runtime/index.ts";

const test = suite("working buffer");

test("a small result owns exactly its bytes", () => {
  for (const value of [null, 1n, "x", [1n, 2n, 3n], new Map([["a", 1.5]])]) {
    const out = dumps(value);
    assert.is(out.byteOffset, 0);
    assert.is(out.buffer.byteLength, out.length, `${String(value)}: the result keeps ${out.buffer.byteLength} bytes for ${out.length}`);
  }
});

test("a later dumps does not change an earlier result", () => {
  const first = dumps(["first", 1n]);
  const before = Uint8Array.from(first);
  for (let i = 0; i < 50; i++) dumps([`other ${i}`, BigInt(i), "x".repeat(i * 100)]);
  assert.equal(first, before);
  assert.equal(loads(first), ["first", 1n]);
});

test("outputs that grow past the working buffer, or hold a large payload, come back whole, and the next small one is right", () => {
  const big = Array.from({ length: 30_000 }, (_, i) => `item ${i}`);
  const blob = new Uint8Array(200_000).fill(7);
  for (let round = 0; round < 3; round++) {
    const small = dumps(new PyTuple(["small", BigInt(round)]));
    const grown = dumps(big);
    const held = dumps(
      new Map<string, Uint8Array | string>([
        ["blob", blob],
        ["after", "tail"],
      ]),
    );
    const smallAgain = dumps(new PyTuple(["small", BigInt(round)]));
    assert.equal(loads(grown), big);
    assert.equal(
      loads(held),
      new Map<string, Uint8Array | string>([
        ["blob", blob],
        ["after", "tail"],
      ]),
    );
    assert.equal(smallAgain, small);
    assert.equal(loads(small), new PyTuple(["small", BigInt(round)]));
  }
});

test("typed dumps use the same working buffer and return independent copies", () => {
  const a = dumpsTyped(T.list(T.str), ["a", "b"]);
  const b = dumpsTyped(T.list(T.str), ["c", "d"]);
  assert.equal(loads(a), ["a", "b"]);
  assert.equal(loads(b), ["c", "d"]);
  assert.is(a.buffer.byteLength, a.length);
});

test.run();
