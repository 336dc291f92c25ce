// Persistent ids, extension codes and out-of-band buffers work only through explicit options; without
// them the error says which option is missing. Pickles come from python3 in one batch.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DEFAULT_LIMITS, PickleBuffer, type PyTuple, UnpicklingError, loads } from "../../runtime/index.ts";
import { fromHex, runPython } from "../support/python.ts";

const made = JSON.parse(
  runPython([
    "-c",
    `
import copyreg, io, json, pickle, collections
out = {}
class P(pickle.Pickler):
    def persistent_id(self, obj):
        return ('db', obj[3:]) if isinstance(obj, str) and obj.startswith('row') else None
for proto in (0, 2, 4):
    f = io.BytesIO(); P(f, protocol=proto).dump(['row1', 'plain', 'row2']); out[f'persid{proto}'] = f.getvalue().hex()
copyreg.add_extension('collections', 'OrderedDict', 240)
out['ext'] = pickle.dumps(collections.OrderedDict(a=1), 2).hex()
bufs = []
data = pickle.dumps([pickle.PickleBuffer(b'readonly-bytes'), pickle.PickleBuffer(bytearray(b'writable'))], 5, buffer_callback=bufs.append)
out['oob'] = data.hex()
out['oob_buffers'] = [bytes(b.raw()).hex() for b in bufs]
out['inband'] = pickle.dumps([pickle.PickleBuffer(b'ro'), pickle.PickleBuffer(bytearray(b'rw'))], 5).hex()
print(json.dumps(out))
`,
  ]),
);

const test = suite("reader options");

test("PERSID / BINPERSID need persistentLoad, and use it", () => {
  for (const p of [0, 2, 4]) {
    const data = fromHex(made[`persid${p}`]);
    assert.throws(
      () => loads(data),
      (e: unknown) => e instanceof UnpicklingError && /no persistent_load function was specified/.test(e.message),
    );
    const seen: unknown[] = [];
    const v = loads(data, {
      persistentLoad: (pid) => {
        seen.push(pid);
        // Protocol 0 writes the id as text (str(pid)); binary protocols pickle the id itself.
        if (typeof pid === "string") return `text:${pid}`;
        const [table, key] = (pid as PyTuple).items;
        return `${table}:${key}`;
      },
    });
    const expected = p === 0 ? ["text:('db', '1')", "plain", "text:('db', '2')"] : ["db:1", "plain", "db:2"];
    assert.equal(v, expected, `protocol ${p}`);
    assert.is(seen.length, 2);
  }
});

test("EXT codes need the extension registry; names still go through the allowlist", () => {
  const data = fromHex(made.ext);
  assert.throws(() => loads(data), /unregistered extension code 240/);
  const v = loads(data, { extensions: new Map([[240, ["collections", "OrderedDict"]]]) });
  assert.equal([...(v as Map<unknown, unknown>)], [["a", 1n]]);
  assert.throws(() => loads(data, { extensions: new Map([[240, ["os", "system"]]]) }), /global 'os.system' is not allowed/);
});

test("NEXT_BUFFER needs buffers; READONLY_BUFFER marks them read-only", () => {
  const data = fromHex(made.oob);
  assert.throws(() => loads(data), /no \*buffers\* argument was given/);
  assert.throws(() => loads(data, { buffers: [fromHex(made.oob_buffers[0])] }), /not enough out-of-band buffers/);
  const [ro, rw] = loads(data, { buffers: made.oob_buffers.map(fromHex) }) as PickleBuffer[];
  assert.ok(ro instanceof PickleBuffer && ro.readonly);
  assert.is(Buffer.from(ro.data).toString(), "readonly-bytes");
  assert.ok(rw instanceof PickleBuffer && !rw.readonly);
  assert.is(Buffer.from(rw.data).toString(), "writable");
});

test("in-band PickleBuffers arrive as bytes (read-only) and bytearray (writable)", () => {
  const [ro, rw] = loads(fromHex(made.inband)) as Uint8Array[];
  assert.is(ro!.constructor, Uint8Array);
  assert.is(rw!.constructor.name, "PyBytearray");
});

test("bytes are copies by default (small and large), views of the input with viewBytes", () => {
  const small = new Uint8Array([0x80, 0x04, 0x43, 0x03, 1, 2, 3, 0x2e]);
  const large = new Uint8Array(7 + 5000 + 1);
  large.set([0x80, 0x04, 0x42, 0x88, 0x13, 0x00, 0x00]);
  large.fill(9, 7, 5007);
  large[5007] = 0x2e;
  for (const data of [small, large]) {
    const copy = loads(data) as Uint8Array;
    assert.is(copy.constructor, Uint8Array);
    assert.ok(copy.buffer !== data.buffer, "a copy has memory of its own");
    copy[0] = 42;
    assert.is.not(data[data.length - 2], 42);
    const view = loads(data, { viewBytes: true }) as Uint8Array;
    assert.ok(view.buffer === data.buffer, "a view shares the input's memory");
    assert.equal(Array.from(view), Array.from(data.subarray(data.length - 1 - view.length, data.length - 1)));
  }
});

test("SHORT_BINBYTES of every length 0–40 and 100 (the loop copy up to 32 bytes, then set): the exact bytes, in memory of their own", () => {
  for (const n of [...Array.from({ length: 41 }, (_, i) => i), 100]) {
    const payload = Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
    // a padding byte before and after the pickle, so the payload sits inside a larger buffer
    const data = new Uint8Array([0xaa, 0x80, 0x04, 0x43, n, ...payload, 0x2e, 0xbb]).subarray(1);
    const value = loads(data) as Uint8Array;
    assert.is(value.constructor, Uint8Array);
    assert.equal(Array.from(value), payload, `length ${n}`);
    data.fill(0);
    assert.equal(Array.from(value), payload, `length ${n}: changed with its input`);
  }
});

test("a limit set to undefined keeps its default (a spread once copied the undefined, and the depth check never fired)", () => {
  const n = DEFAULT_LIMITS.maxDepth + 5;
  const deep = new Uint8Array([...new Array(n).fill(0x28), ...new Array(n).fill(0x6c), 0x2e]); // MARK × n, LIST × n: lists n deep
  for (const limits of [{}, { maxDepth: undefined }, { maxDepth: undefined, maxMemo: undefined }]) {
    assert.throws(
      () => loads(deep, { limits }),
      (e: unknown) => e instanceof UnpicklingError && /depth|deep|nest/i.test((e as Error).message),
      JSON.stringify(limits),
    );
  }
});

test.run();
