// typed-pickle's side of the workloads made of many separate pickles (bench/workloads.py's
// small-pickles and tiny-pickles): the workload's file is the list of the pickles' bytes, and each op
// reads or writes one pickle per item — the counterparts of bench/python_timer.py's loads-each,
// dumps-each and load-stream, so per-call costs (a new unpickler, memo, frame state per pickle) count
// as they do in a service that receives one small message at a time.
import { type PyValue, dumps, loadStream, loads, loadsAll } from "typed-pickle";
import type { TypedPickleImpl } from "./typed-pickle-impls.ts";

/** The separate pickles' bytes, as the workload's file holds them. */
function separatePickles(data: Uint8Array): Uint8Array[] {
  const items = loads(data);
  if (!Array.isArray(items) || !items.every((b) => b instanceof Uint8Array)) throw new Error("not a list of pickles");
  return items as Uint8Array[];
}

/** The pickles back to back, as one stream (a file of appended pickles, a socket). */
function joined(items: Uint8Array[]): Uint8Array {
  const stream = new Uint8Array(items.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of items) {
    stream.set(b, at);
    at += b.length;
  }
  return stream;
}

/** `stream` as a file read stream hands it over: 64 KiB chunks. */
async function* chunks(stream: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < stream.length; at += 65536) yield stream.subarray(at, at + 65536);
}

const dumpEach = (values: PyValue[], protocol: number) => values.map((v) => dumps(v, { protocol }));

/** small-pickles: `loads` of each pickle, `dumps` of each value (CPython: the same list comprehensions). */
const eachSeparately: TypedPickleImpl = {
  impl: "typed-pickle generic",
  setup: (data, protocol) => {
    const items = separatePickles(data);
    const values = items.map((b) => loads(b));
    return { decode: () => items.map((b) => loads(b)), encode: () => dumpEach(values, protocol) };
  },
};

/** tiny-pickles: every pickle of one stream with `loadsAll` (CPython: `pickle.load(f)` until EOFError). */
const streamWithLoadsAll: TypedPickleImpl = {
  impl: "typed-pickle generic",
  setup: (data, protocol) => {
    const stream = joined(separatePickles(data));
    const values = [...loadsAll(stream)];
    return { decode: () => [...loadsAll(stream)], encode: () => dumpEach(values, protocol) };
  },
};

/** tiny-pickles through `loadStream`, the async reader of a byte stream (decode only). */
const streamWithLoadStream: TypedPickleImpl = {
  impl: "typed-pickle generic (loadStream)",
  setup: (data) => {
    const stream = joined(separatePickles(data));
    return {
      decode: async () => {
        const values: PyValue[] = [];
        for await (const v of loadStream(chunks(stream))) values.push(v);
        return values;
      },
    };
  },
};

export const manyPicklesImpls = (name: "small-pickles" | "tiny-pickles"): TypedPickleImpl[] =>
  name === "small-pickles" ? [eachSeparately] : [streamWithLoadsAll, streamWithLoadStream];
