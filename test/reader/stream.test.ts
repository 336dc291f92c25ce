// Several pickles back to back, from a file or a stream: each read with a fresh memo, one at a time.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DEFAULT_LIMITS, PyTuple, UnpicklingError, Unpickler, loadFrom, loadStream, loadsAll, type PyValue } from "../../runtime/index.node.ts";
import { toTagged } from "../../runtime/format/tagged-json.ts";
import { runPython } from "../support/python.ts";

const dir = mkdtempSync(join(tmpdir(), "typed-pickle-stream-"));
const path = join(dir, "many.pkl");
runPython([
  "-c",
  `
import pickle, sys
with open(sys.argv[1], 'wb') as f:
    for i in range(60):
        pickle.dump({'n': i, 'items': list(range(i * 10)), 'blob': bytes(i * 5000)}, f, protocol=i % 6)
`,
  path,
]);
const whole = new Uint8Array(readFileSync(path));
const tag = (values: PyValue[]) => values.map((v) => JSON.stringify(toTagged(v)));

async function collect(source: AsyncIterable<PyValue>): Promise<PyValue[]> {
  const out: PyValue[] = [];
  for await (const v of source) out.push(v);
  return out;
}

const test = suite("stream");

test("a file of 60 pickles (~9 MB of blobs, all protocols) reads as loadsAll reads the bytes", async () => {
  const expected = tag([...loadsAll(whole)]);
  assert.is(expected.length, 60);
  assert.equal(tag(await collect(loadStream(path))), expected);
});

test("any chunking of a stream gives the same values", async () => {
  const reader = new Unpickler(whole);
  const ends: number[] = [];
  while (reader.hasMore) (reader.load(), ends.push(reader.pos));
  const expected = tag([...loadsAll(whole)]);
  for (const [size, count] of [
    [1, 3],
    [7, 8],
    [4096, 12],
    [65537, 60],
  ] as const) {
    const head = whole.subarray(0, ends[count - 1]);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < head.length; i += size) chunks.push(head.subarray(i, i + size));
    const values = await collect(loadStream(Readable.from(chunks, { objectMode: true })));
    assert.equal(tag(values), expected.slice(0, count), `chunk size ${size}`);
  }
});

test("the first pickle is yielded before the rest of the stream is read", async () => {
  const first = new Uint8Array(Buffer.from("\x80\x04K\x07.", "latin1"));
  let pulledMore = false;
  async function* source() {
    yield first;
    pulledMore = true;
    await new Promise(() => {}); // a stream that never ends
  }
  const it = loadStream(source());
  const { value } = await it.next();
  assert.is(value, 7n);
  assert.is(pulledMore, false);
});

test("the memo is reset for every pickle", async () => {
  // The second pickle fetches memo entry 0, stored only by the first: Python refuses it too.
  const data = new Uint8Array(Buffer.from("\x80\x02X\x01\x00\x00\x00aq\x00.\x80\x02h\x00.", "latin1"));
  const it = loadsAll(data);
  assert.is(it.next().value, "a");
  assert.throws(
    () => it.next(),
    (e: unknown) => e instanceof UnpicklingError && /Memo value not found at index 0 \(offset 13, BINGET\)/.test(e.message),
  );
});

test("errors in a later pickle carry offsets from the start of the stream", async () => {
  const broken = join(dir, "broken.pkl");
  const good = Buffer.from("\x80\x04N.", "latin1");
  writeFileSync(broken, Buffer.concat([good, good, Buffer.from("\x80\x04cos\nsystem\n.", "latin1")]));
  const seen: PyValue[] = [];
  try {
    for await (const v of loadStream(broken)) seen.push(v);
    assert.unreachable("accepted");
  } catch (e) {
    assert.instance(e, UnpicklingError);
    assert.is((e as UnpicklingError).offset, 10);
    assert.match((e as Error).message, /global 'os.system' is not allowed \(offset 10, GLOBAL\)/);
  }
  assert.equal(seen, [null, null]);
  assert.is(await loadFrom(broken), null);
});

test("chunks that are not bytes are refused, any other view of bytes is read", async () => {
  const data = Buffer.from("\x80\x04\x95\x0d\x00\x00\x00\x00\x00\x00\x00]\x94(K\x01K\x02e\x8c\x01a\x94a.", "latin1");
  const expected = [1n, 2n, "a"];
  // A Readable with an encoding hands out strings: text, not the pickle's bytes.
  const text = Readable.from([data]).setEncoding("latin1");
  await collect(loadStream(text)).then(
    () => assert.unreachable("a string chunk was read"),
    (e) => assert.ok(e instanceof UnpicklingError && /stream chunk is a string .* not bytes \(offset 0\)/.test(e.message), String(e)),
  );
  for (const junk of [[42], [{ length: 3 }], [null]] as unknown[][]) {
    const source = (async function* () {
      yield data.subarray(0, 5);
      yield* junk;
    })();
    await collect(loadStream(source as never)).then(
      () => assert.unreachable("a non-byte chunk was read"),
      (e) => assert.ok(e instanceof UnpicklingError && /stream chunk is .* not bytes \(offset 5\)/.test(e.message), String(e)),
    );
  }
  const copy = new Uint8Array(data).buffer;
  const views = [new DataView(copy, 0, 9), new Uint8Array(copy, 9, 3), new Uint16Array(copy.slice(12, 16)), copy.slice(16)];
  assert.equal(await collect(loadStream(Readable.from(views, { objectMode: true }))), [expected]);
});

test("a chunk's kind is named from its constructor, and an object without one is still refused clearly", async () => {
  const chunks: [unknown, string][] = [
    [Object.create(null), "an object"],
    [{ length: 3 }, "an Object"],
    [new Map(), "a Map"],
    [7, "a number"],
  ];
  for (const [chunk, kind] of chunks) {
    const source = (async function* () {
      yield chunk;
    })();
    await collect(loadStream(source as never)).then(
      () => assert.unreachable("a non-byte chunk was read"),
      (e) => assert.ok(e instanceof UnpicklingError && e.message.startsWith(`stream chunk is ${kind}, not bytes`), String(e)),
    );
  }
});

test("one pickle may not make the stream buffer past limits.maxPickleBytes", async () => {
  let pulled = 0;
  async function* endless(head: Uint8Array) {
    yield head;
    for (;;) {
      pulled += 4096;
      yield new Uint8Array(4096).fill(0x4e); // NONE, NONE, …: never a STOP
    }
  }
  const frame = new Uint8Array(Buffer.from("\x80\x04\x95\x00\x00\x00\x00\x00\x00\x10\x00", "latin1")); // a FRAME of 2^52 bytes
  for (const head of [new Uint8Array(Buffer.from("\x80\x04(", "latin1")), frame]) {
    pulled = 0;
    await collect(loadStream(endless(head), { limits: { maxPickleBytes: 1 << 20 } })).then(
      () => assert.unreachable("accepted"),
      (e) => assert.ok(e instanceof UnpicklingError && /pickle is longer than 1048576 bytes \(limits.maxPickleBytes\) \(offset 0\)/.test(e.message), String(e)),
    );
    assert.ok(pulled >= 1 << 20 && pulled < 3 << 20, `pulled ${pulled} bytes`);
  }
  // Within the limit, and after other pickles (the limit is per pickle, from where it starts).
  const small = Buffer.from("\x80\x04N.", "latin1");
  const big = Buffer.concat([Buffer.from("\x80\x04(", "latin1"), Buffer.alloc(1000, 0x4e), Buffer.from("t.", "latin1")]);
  const values = await collect(loadStream(Readable.from([small, small, big, small], { objectMode: true }), { limits: { maxPickleBytes: 1005 } }));
  assert.is(values.length, 4);
  assert.is(DEFAULT_LIMITS.maxPickleBytes, 2 ** 30);
});

test("a pickle within its allocation budget is read from a stream in small chunks (the budget of a part is not the budget of the whole)", async () => {
  // 10,000 empty dicts (each costs more than its byte) and then 20,000 bytes of payload in one list:
  // within 64 x the whole pickle, over 64 x its first 10 KB.
  const data = new Uint8Array(
    Buffer.concat([Buffer.from("](" + "}".repeat(10_000) + "B", "latin1"), Buffer.from([0x20, 0x4e, 0, 0]), Buffer.alloc(20_000, 7), Buffer.from("e.", "latin1")]),
  );
  const whole = [...loadsAll(data)];
  assert.is((whole[0] as PyValue[]).length, 10_001);
  const chunks = Array.from({ length: Math.ceil(data.length / 1000) }, (_, i) => data.subarray(i * 1000, (i + 1) * 1000));
  const streamed: PyValue[] = [];
  for await (const v of loadStream(Readable.from(chunks))) streamed.push(v);
  assert.equal(
    streamed.map((v) => toTagged(v)),
    whole.map((v) => toTagged(v)),
  );
});

test("many small pickles from a stream: one reader over the buffer, each with a fresh memo", async () => {
  const one = Buffer.from("\x80\x04\x8c\x01a\x94h\x00\x86.", "latin1");
  const many = Buffer.concat(Array.from({ length: 10_000 }, () => one));
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < many.length; i += 4093) chunks.push(many.subarray(i, i + 4093));
  const values = await collect(loadStream(Readable.from(chunks, { objectMode: true })));
  assert.is(values.length, 10_000);
  assert.equal(tag(values.slice(-1)), [JSON.stringify(toTagged(new PyTuple(["a", "a"])))]);
});

test.run();
