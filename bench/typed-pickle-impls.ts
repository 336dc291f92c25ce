// What typed-pickle runs for each workload of bench/workloads.py, shared by the harnesses
// (bench/run.ts, bench/steady.ts): one entry per implementation, set up on demand so a process
// that times one implementation holds only that implementation's live data (the bytes and at most
// one decoded copy).
import { type Codec, T, dumps, dumpsTyped, loads, loadsPlain, loadsTyped } from "typed-pickle";
import { UserCodec } from "./generated/records.ts";
import { manyPicklesImpls } from "./many-pickles-impls.ts";

export interface ImplOps {
  decode?: () => unknown;
  encode?: () => unknown;
}
export interface TypedPickleImpl {
  impl: string;
  /** Decodes what encode needs (once) and returns the closures to time. */
  setup: (data: Uint8Array, protocol: number) => ImplOps;
}

const typed = <V>(impl: string, codec: Codec<V>): TypedPickleImpl => ({
  impl,
  setup: (data, protocol) => {
    const value = loadsTyped(codec, data);
    return { decode: () => loadsTyped(codec, data), encode: () => dumpsTyped(codec, value, { protocol }) };
  },
});

/** The typed codec's encode with `strings: "fresh"` (each field's str written anew, as CPython does for strings built at run time). */
const freshStrings = <V>(impl: string, codec: Codec<V>): TypedPickleImpl => ({
  impl,
  setup: (data, protocol) => {
    const value = loadsTyped(codec, data);
    return { encode: () => dumpsTyped(codec, value, { protocol, strings: "fresh" }) };
  },
});

const generic = (options: Parameters<typeof loads>[1]): TypedPickleImpl => ({
  impl: "typed-pickle generic",
  setup: (data, protocol) => {
    const value = loads(data, options);
    return { decode: () => loads(data, options), encode: () => dumps(value, { protocol }) };
  },
});

const decodeOnly = (impl: string, options: Parameters<typeof loads>[1]): TypedPickleImpl => ({
  impl,
  setup: (data) => ({ decode: () => loads(data, options) }),
});

/** The plain reading mode (loadsPlain): plain JavaScript, reported beside the default model (decode only). */
const plainDecode: TypedPickleImpl = {
  impl: "typed-pickle plain",
  setup: (data) => ({ decode: () => loadsPlain(data) }),
};

/** The implementation the headline table (and README) reports for a workload, as issue 16's table does. */
export const headlineImpl = (name: string) => (name === "records" ? "typed-pickle (generated codec)" : "typed-pickle generic");

/** The implementations for a workload, in bench/run.ts's row order. */
export function typedPickleImpls(name: string): TypedPickleImpl[] {
  switch (name) {
    case "records":
      return [
        typed("typed-pickle (generated codec)", T.list(UserCodec)),
        freshStrings("typed-pickle (generated codec, strings: fresh)", T.list(UserCodec)),
        decodeOnly("typed-pickle generic (opaque)", { mode: "opaque" }),
      ];
    case "ndarray":
      // numpy arrays: the typed codec (ndarray<Float64Array>) and the generic reader's model (NdArray).
      return [typed("typed-pickle (ndarray<Float64Array> codec)", T.ndarrayFloat64), generic({})];
    case "ndarrays":
      return [typed("typed-pickle (ndarray<Float64Array> codec)", T.list(T.ndarrayFloat64)), generic({})];
    case "floats":
      // The schema's way to a numeric list: Float64Array ↔ list[float].
      return [typed("typed-pickle (Float64Array codec)", T.float64Array), generic({}), plainDecode];
    case "small-pickles":
    case "tiny-pickles":
      return manyPicklesImpls(name);
    case "blob":
      return [generic({}), decodeOnly("typed-pickle generic (viewBytes)", { viewBytes: true })];
    case "records-dicts":
    case "ints":
    case "strings":
    case "deep":
      return [generic({}), plainDecode];
    default:
      return [generic({})];
  }
}
