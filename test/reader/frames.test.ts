// FRAME boundaries: an opcode's read that starts inside a frame must end inside it, as CPython's
// Python unpickler (and its C one reading a file) require. One rule for every entry point.
import { Readable } from "node:stream";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { UnpicklingError, loadStream, loads, loadsAll, type PyValue } from "../../runtime/index.ts";
import { toTagged } from "../../runtime/format/tagged-json.ts";
import { runPython, runPythonJsonLines } from "../support/python.ts";

const bytes = (...parts: (string | number[] | Uint8Array)[]) =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p as Uint8Array)))));
/** PROTO 4 and a FRAME holding `body`, then what follows the frame. */
const framed = (body: string, after: string) => bytes("\x80\x04\x95", [body.length, 0, 0, 0, 0, 0, 0, 0], body, after);

/** What CPython's pure-Python unpickler says: the value's repr, or the error. */
function python(data: Uint8Array): string {
  return runPython(["-c", "import pickle, sys\ntry: print(repr(pickle._loads(sys.stdin.buffer.read())))\nexcept Exception as e: print('error:', e)"], data).trim();
}

async function streamed(data: Uint8Array): Promise<PyValue[]> {
  const out: PyValue[] = [];
  for await (const v of loadStream(Readable.from([data.subarray(0, 7), data.subarray(7)], { objectMode: true }))) out.push(v);
  return out;
}

function refusedEverywhere(data: Uint8Array, message: RegExp): Promise<void> {
  const check = (e: unknown) => e instanceof UnpicklingError && message.test(e.message);
  assert.throws(() => loads(data), check);
  assert.throws(() => loads(data, { mode: "opaque" }), check);
  assert.throws(() => [...loadsAll(data)], check);
  return streamed(data).then(
    () => assert.unreachable("the stream accepted it"),
    (e) => assert.ok(check(e), String(e)),
  );
}

const test = suite("frames");

test("pickles CPython writes read as before: big payloads outside frames, number runs across frames", () => {
  const cases = runPythonJsonLines<{ hex: string; tagged: unknown }>([
    "-c",
    `
import json, pickle, sys
sys.path.insert(0, '.')
from tagged import to_tagged
values = [
    [b'x' * 70000, b'y' * 10], ['s' * 70000, 'a', 'b' * 65536], list(range(100000)), [0.5 * i for i in range(30000)],
    [2**40 + i for i in range(20000)], {i: str(i) for i in range(5000)}, [bytearray(b'z' * 70000), bytearray(b'q')],
]
for v in values:
    for protocol in (4, 5):
        print(json.dumps({'hex': pickle.dumps(v, protocol).hex(), 'tagged': to_tagged(v)}))
`,
  ]);
  assert.is(cases.length, 14);
  for (const c of cases) assert.equal(JSON.parse(JSON.stringify(toTagged(loads(Buffer.from(c.hex, "hex"))))), c.tagged);
});

test("an argument that starts at the frame's end is unframed, as in CPython", () => {
  // BININT2's opcode is the frame's last byte; its two argument bytes follow the frame.
  const data = framed("](M", "\x01\x00e.");
  assert.is(python(data), "[1]");
  assert.equal(loads(data), [1n]);
});

test("an argument that crosses the frame's end is refused, in the number loop and the main loop", async () => {
  const cases: [string, Uint8Array][] = [
    ["BININT in a number run", framed("](K\x01J\x01", "\x00\x00\x00e.")],
    ["BININT2 alone", framed("M\x01", "\x00.")],
    ["BINUNICODE's payload", framed("X\x03\x00\x00\x00a", "bc.")],
    ["BINUNICODE's length", framed("X\x03\x00", "\x00\x00abc.")],
    ["a text INT line", framed("I12", "3\n.")],
    ["LONG1's payload", framed("](\x8a\x02\x01", "\x01e.")],
  ];
  for (const [name, data] of cases) {
    assert.match(python(data), /^error: pickle exhausted before end of frame/, name);
    await refusedEverywhere(data, /crosses the end of its FRAME at offset \d+ \(pickle exhausted before end of frame\)/);
  }
});

test("the FRAME's end a refusal names counts from the input's start, in a stream past its first pickle too", async () => {
  // framed() puts the frame's body after 11 bytes: PROTO 4, FRAME and its length
  const crossing = framed("X\x03\x00\x00\x00a", "bc.");
  const first = bytes("\x80\x04N.");
  const frameEnd = 11 + 6;
  assert.throws(
    () => [...loadsAll(bytes(first, crossing))],
    (e: unknown) => e instanceof UnpicklingError && e.message.includes(`at offset ${first.length + frameEnd} `) && e.offset === first.length + 11,
  );
  // one byte at a time: the stream reads through windows that start past the first pickle
  const input = bytes(first, crossing);
  const chunks = Array.from(input, (b) => new Uint8Array([b]));
  const values: PyValue[] = [];
  const refusal = await (async () => {
    try {
      for await (const v of loadStream(Readable.from(chunks, { objectMode: true }))) values.push(v);
    } catch (e) {
      return e;
    }
  })();
  assert.equal(values, [null]);
  assert.instance(refusal, UnpicklingError);
  assert.match((refusal as Error).message, `at offset ${first.length + frameEnd} `);
  assert.is((refusal as UnpicklingError).offset, first.length + 11);
});

test("a FRAME that begins before the current one ends is refused", async () => {
  const data = framed("N\x95\x01\x00\x00\x00\x00\x00\x00\x00N", "0.");
  assert.match(python(data), /beginning of a new frame before end of current frame/);
  await refusedEverywhere(data, /beginning of a new frame before end of current frame/);
  // At the frame's very end it is the next frame.
  const next = framed("](K\x01\x95\x03\x00\x00\x00\x00\x00\x00\x00", "K\x02e.");
  assert.is(python(next), "[1, 2]");
  assert.equal(loads(next), [1n, 2n]);
});

test.run();
