// What test/portable/core-without-node.test.ts runs twice — in a worker with no Buffer and no
// process, and in the test's own thread with Buffer — on the same bundle of the portable core. Plain
// JavaScript (no TypeScript, no imports): the worker loads it as it is. Every result is a string
// (bytes as hex), so the two runs compare with no question of Buffer versus Uint8Array.

const HEX = Array.from({ length: 256 }, (_, b) => (b + 0x100).toString(16).slice(1));
const hex = (bytes) => {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]];
  return s;
};
const fromHex = (text) => Uint8Array.from({ length: text.length / 2 }, (_, i) => parseInt(text.slice(2 * i, 2 * i + 2), 16));

async function* chunksOf(bytes, size) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** Collects chunks written through dump's WritableLike. */
function collector() {
  const chunks = [];
  return { chunks, write: (chunk) => (chunks.push(Uint8Array.from(chunk)), true), once: () => undefined };
}

/**
 * `tp`: the bundle's exports (the core, toTagged/stringifyTagged, the generated user module).
 * `inputs`: { cpython: [{ name, hex, protocol, reencodes }], py2: [{ name, hex }], corpus: [{ hex, protocol }],
 *            user: hex, jsStrings: [string] }.
 */
export async function run(tp, inputs) {
  const out = {};
  const tagged = (v) => tp.stringifyTagged(tp.toTagged(v));
  for (const c of inputs.cpython) {
    const value = tp.loads(fromHex(c.hex));
    out[`${c.name}: tagged`] = tagged(value);
    if (c.reencodes) out[`${c.name}: dumps`] = hex(tp.dumps(value, { protocol: c.protocol }));
  }
  for (const c of inputs.py2) out[`${c.name}: tagged`] = tagged(tp.loads(fromHex(c.hex), { encoding: "latin1" }));
  // CPython's own test pickles, re-encoded at their protocol: the ones that differ from CPython's bytes.
  out["corpus: differing"] = inputs.corpus
    .filter((c) => hex(tp.dumps(tp.loads(fromHex(c.hex), { limits: { maxIntDigits: 1e6 } }), { protocol: c.protocol })) !== c.hex)
    .map((c) => c.hex.slice(0, 80))
    .join("\n");
  // Strings made here, written at every protocol and read back.
  for (let protocol = 0; protocol <= 5; protocol++) {
    const bytes = tp.dumps(inputs.jsStrings, { protocol });
    out[`js strings p${protocol}: dumps`] = hex(bytes);
    out[`js strings p${protocol}: read back equal`] = String(JSON.stringify(tp.loads(bytes)) === JSON.stringify(inputs.jsStrings));
  }
  out.dumpsAll = hex(tp.dumpsAll([inputs.jsStrings, "x", new Uint8Array(5000).fill(7)]));
  // The typed codec: CPython's user read, written again (fast path), and through the general writer.
  const user = tp.loadsUser(fromHex(inputs.user));
  out["user: fields"] = JSON.stringify([user.name, user.age, user.score, user.hobbies, user.isActive, user.address?.street, user.address?.zip, tagged(user.created)]);
  out["user: dumps"] = hex(tp.dumpsUser(user));
  out["user: dumps (general writer)"] = hex(tp.dumpsTyped(tp.UserCodec, user, { protocol: 4, bufferCallback: undefined }));
  // Streams: loadStream from small chunks, dump to a WritableLike, loadTyped from chunks.
  const two = fromHex(inputs.cpython[0].hex);
  const joined = new Uint8Array(two.length * 2);
  joined.set(two);
  joined.set(two, two.length);
  const streamed = [];
  for await (const v of tp.loadStream(chunksOf(joined, 7))) streamed.push(tagged(v));
  out.loadStream = streamed.join("\n");
  const sink = collector();
  await tp.dump(inputs.jsStrings, sink);
  out["dump to a stream"] = sink.chunks.map(hex).join("");
  out["loadTyped from chunks"] = (await tp.loadTyped(tp.UserCodec, chunksOf(fromHex(inputs.user), 5))).name;
  // A path is refused, clearly.
  for (const [name, call] of [
    ["loadFrom", () => tp.loadFrom("data.pkl")],
    ["dump", () => tp.dump(1, "data.pkl")],
    ["loadTyped", () => tp.loadTyped(tp.UserCodec, "data.pkl")],
    ["dumpTyped", () => tp.dumpTyped(tp.UserCodec, user, "data.pkl")],
    ["writeFileAtomically", () => tp.writeFileAtomically("data.pkl", () => undefined)],
    ["loadStream", () => tp.loadStream("data.pkl").next()],
  ]) {
    out[`${name}(path)`] = await call().then(
      () => "resolved",
      (e) => `${e instanceof tp.FilePathNeedsNodeError} ${e.name}: ${e.message}`,
    );
  }
  return out;
}
