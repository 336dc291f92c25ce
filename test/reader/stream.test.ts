// Several pickles back to back, from a file or a stream: each read with a fresh memo, one at a time.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { UnpicklingError, Unpickler, loadFrom, loadStream, loadsAll, type PyValue } from "../../runtime/index.ts";
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
  for (const [size, count] of [[1, 3], [7, 8], [4096, 12], [65537, 60]] as const) {
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
  assert.throws(() => it.next(), (e: unknown) => e instanceof UnpicklingError && /Memo value not found at index 0 \(offset 13, BINGET\)/.test(e.message));
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

test.run();
