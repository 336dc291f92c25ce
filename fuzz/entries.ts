// The entry points every fuzz input goes through, and what each may do with bad input: only its own
// documented refusal may escape (a PickleError; `dis` also its DisError listing-stop, `show` its
// ReprTooLongError). Anything else thrown is a crash. Some entries also compare two ways of reading
// the same bytes (fast vs general typed path, loadStream vs loadsAll, a dumps round trip) and report
// a disagreement as a problem.
import { isDeepStrictEqual } from "node:util";
import { PickleError, PicklingError, UnpicklingError } from "../runtime/errors.ts";
import { pyRepr, ReprTooLongError } from "../runtime/format/repr.ts";
import { stringifyTagged, toTagged } from "../runtime/format/tagged-json.ts";
import { dis, DisError } from "../runtime/inspect/dis.ts";
import { scan } from "../runtime/inspect/scan.ts";
import type { PyValue } from "../runtime/model/value.ts";
import { loadStream } from "../runtime/reader/stream.ts";
import { loads, loadsAll, loadsPlain } from "../runtime/reader/unpickler.ts";
import { loadsTyped } from "../runtime/typed/io.ts";
import type { Codec } from "../runtime/typed/codec.ts";
import { dumps } from "../runtime/writer/dump.ts";
import * as catalog from "../generated/catalog.ts";
import * as connection from "../generated/connection.ts";
import * as user from "../generated/user.ts";
import { Rng } from "./prng.ts";

/** A disagreement an entry found (the input was answered, but two answers differ). */
export interface Problem {
  kind: "fast-general" | "stream-loadsAll" | "roundtrip" | "plain-lossless";
  detail: string;
}

export interface EntryContext {
  /** Filled by loads-strict / loads-opaque for the differential mode: tagged JSON or an error. */
  tagged: { strict?: Answer; opaque?: Answer };
  /** Pickles our writer produced (dumps round trip), for the differential mode to check in CPython. */
  written: { protocol: number; hex: string; tagged: string }[];
}

export type Answer = { ok: true; tagged: string } | { ok: false; error: string };

export interface Entry {
  name: string;
  run(data: Uint8Array, ctx: EntryContext): Promise<Problem[] | undefined> | Problem[] | undefined;
  /** The refusals this entry documents; anything else thrown is a crash. */
  allowed(e: unknown): boolean;
}

const isPickleError = (e: unknown) => e instanceof PickleError;

/**
 * Comparisons (tagging values as JSON, loadStream against loadsAll, dumps read back) are the
 * harness's work, not the entry's: on inputs above this size they are skipped, so that a big input
 * is timed on the entry itself (tagging 1,000,000 items takes seconds; `show` is timed on it).
 */
export const COMPARE_LIMIT = 64 * 1024;
const describe = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : `thrown ${typeof e}: ${String(e)}`);

/** Raw (non-PickleError) errors are rethrown so the harness records a crash; refusals become answers. */
function answer(f: () => PyValue, tag = true): { value?: PyValue; answer: Answer; error?: unknown } {
  try {
    const value = f();
    return { value, answer: { ok: true, tagged: tag ? stringifyTagged(toTagged(value)) : "" } };
  } catch (e) {
    if (!isPickleError(e)) throw e;
    return { answer: { ok: false, error: describe(e) }, error: e };
  }
}

function loadsEntry(mode: "strict" | "opaque"): Entry {
  return {
    name: `loads-${mode}`,
    allowed: isPickleError,
    run(data, ctx) {
      const { answer: a, error } = answer(() => loads(data, { mode }), data.length <= COMPARE_LIMIT);
      if (data.length <= COMPARE_LIMIT) ctx.tagged[mode] = a;
      if (error) throw error; // a clean refusal, counted as such
    },
  };
}

/**
 * `loadsPlain`: plain JavaScript from the same reader. It must accept exactly what `loads` (same
 * default options) accepts and refuse the rest with the same error class at the same offset and
 * opcode: the plain model changes what values are made, never what is read. The message is the same
 * too, except where it names a number's type: plain mode cannot tell 2 from 2.0 ("int or float").
 * (Its objects' safety is the harness's prototype check.)
 */
const loadsPlainEntry: Entry = {
  name: "loadsPlain",
  allowed: isPickleError,
  run(data) {
    const plain = attempt(() => loadsPlain(data));
    if ("error" in plain && !isPickleError(plain.error)) throw plain.error;
    if (data.length > COMPARE_LIMIT) {
      if ("error" in plain) throw plain.error;
      return;
    }
    const lossless = attempt(() => loads(data));
    if ("error" in lossless && !isPickleError(lossless.error)) throw lossless.error;
    const said = (o: Outcome) => ("error" in o ? describe(o.error) : "accepts");
    const where = (o: Outcome) => ("error" in o && o.error instanceof UnpicklingError ? `${o.error.name} at ${o.error.offset} ${o.error.opcode}` : said(o));
    const vague = said(plain).includes("int or float");
    if (vague ? where(plain) !== where(lossless) : said(plain) !== said(lossless)) {
      return [{ kind: "plain-lossless", detail: `loadsPlain ${said(plain)}; loads ${said(lossless)}` }];
    }
    if ("error" in plain) throw plain.error; // refused alike: a clean refusal
  },
};

/** Every pickle of the input as loadsAll reads it: tagged values, then the error that stopped it. */
function allPickles(data: Uint8Array, tag = true): { tagged: string[]; values: PyValue[]; error?: string; thrown?: unknown } {
  const tagged: string[] = [];
  const values: PyValue[] = [];
  try {
    for (const v of loadsAll(data, { mode: "opaque" })) {
      values.push(v);
      if (tag) tagged.push(stringifyTagged(toTagged(v)));
    }
  } catch (e) {
    if (!isPickleError(e)) throw e;
    return { tagged, values, error: describe(e), thrown: e };
  }
  return { tagged, values };
}

/** The input cut in odd places: 1-byte chunks for small inputs, else sizes drawn from its length. */
function* chunkings(data: Uint8Array): Generator<Uint8Array[]> {
  const rng = new Rng(data.length * 2654435761 + (data[0] ?? 0) + (data[data.length - 1] ?? 0) * 65599);
  if (data.length <= 4096) yield Array.from(data, (b) => Uint8Array.of(b));
  const chunks: Uint8Array[] = [];
  for (let pos = 0; pos < data.length;) {
    const n = 1 + rng.below(rng.pick([3, 17, 300, 5000]));
    chunks.push(data.slice(pos, pos + n));
    pos += n;
  }
  yield chunks;
}

async function* source(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c;
}

const loadStreamEntry: Entry = {
  name: "loadStream",
  allowed: isPickleError,
  async run(data) {
    if (data.length > COMPARE_LIMIT) {
      for await (const _ of loadStream(source(Array.from(chunkings(data)).at(-1)!), { mode: "opaque" }));
      return;
    }
    const expected = allPickles(data);
    const problems: Problem[] = [];
    for (const chunks of chunkings(data)) {
      const tagged: string[] = [];
      let error: string | undefined;
      try {
        for await (const v of loadStream(source(chunks), { mode: "opaque" })) tagged.push(stringifyTagged(toTagged(v)));
      } catch (e) {
        if (!isPickleError(e)) throw e;
        error = describe(e);
      }
      const same = tagged.length === expected.tagged.length && tagged.every((t, i) => t === expected.tagged[i]) && error === expected.error;
      if (!same) {
        problems.push({
          kind: "stream-loadsAll",
          detail: `${chunks.length} chunks: stream gave ${tagged.length} values then ${error ?? "end"}; loadsAll gave ${expected.tagged.length} then ${expected.error ?? "end"}`,
        });
        break;
      }
    }
    if (problems.length === 0 && expected.thrown) throw expected.thrown; // refused alike: a clean refusal
    return problems;
  },
};

const loadsAllEntry: Entry = {
  name: "loadsAll",
  allowed: isPickleError,
  run(data) {
    const { thrown } = allPickles(data, false);
    if (thrown) throw thrown;
  },
};

/** `show`: each pickle's repr and tagged JSON (loadsAll reads them as loadStream would). */
const showEntry: Entry = {
  name: "show",
  allowed: (e) => isPickleError(e) || e instanceof ReprTooLongError,
  run(data) {
    const { values, thrown } = allPickles(data, false);
    for (const v of values) {
      pyRepr(v);
      stringifyTagged(toTagged(v));
    }
    if (thrown) throw thrown;
  },
};

/** `dis`: every pickle of the input, as the command walks them; DisError is its documented stop. */
const disEntry: Entry = {
  name: "dis",
  allowed: (e) => e instanceof DisError || isPickleError(e),
  run(data) {
    for (let pos = 0; pos < data.length;) {
      const { end } = dis(data, pos, 4);
      if (end <= pos) throw new Error(`dis made no progress at offset ${pos}`);
      pos = end;
    }
  },
};

/** `scan`: never throws; a pickle it cannot walk is reported in its result. */
const scanEntry: Entry = {
  name: "scan",
  allowed: () => false,
  run(data) {
    for (let pos = 0; pos < data.length;) {
      const report = scan(data, pos);
      if (report.error) break;
      if (report.end <= pos) throw new Error(`scan made no progress at offset ${pos}`);
      pos = report.end;
    }
  },
};

/**
 * `dumps` round trip at one protocol (what `convert --protocol N` does): whatever opaque `loads`
 * reads must be written (or refused with PicklingError) and read back to the same tagged value.
 * One entry per protocol, so each is held to the time budget on its own.
 */
function dumpsEntry(protocol: number): Entry {
  return {
    name: `dumps@${protocol}`,
    allowed: isPickleError,
    run(data, ctx) {
      const compare = data.length <= COMPARE_LIMIT;
      const { value, answer: first, error } = answer(() => loads(data, { mode: "opaque" }), compare);
      if (!first.ok) throw error;
      let written: Uint8Array;
      try {
        written = dumps(value!, { protocol });
      } catch (e) {
        if (e instanceof PicklingError) return;
        throw e;
      }
      let again: string;
      try {
        const back = loads(written, { mode: "opaque" });
        if (!compare) return;
        again = stringifyTagged(toTagged(back));
      } catch (e) {
        return [{ kind: "roundtrip", detail: `protocol ${protocol}: our own pickle does not load: ${describe(e)}` }];
      }
      // Kept for the differential mode (CPython must read our pickle as we do); big ones are skipped
      // to keep the oracle's batches small.
      if (written.length <= 64 * 1024) ctx.written.push({ protocol, hex: Buffer.from(written).toString("hex"), tagged: again });
      if (again !== first.tagged) return [{ kind: "roundtrip", detail: `protocol ${protocol}: read back as ${again.slice(0, 200)}, was ${first.tagged.slice(0, 200)}` }];
    },
  };
}

/** Every class codec the generated modules export with a `loadsX`. */
export const TYPED_LOADERS: { name: string; load: (data: Uint8Array) => unknown; codec: Codec<unknown> }[] = [];
for (const mod of [user, catalog, connection] as Record<string, unknown>[]) {
  for (const [key, fn] of Object.entries(mod)) {
    const m = /^loads([A-Z]\w*)$/.exec(key);
    const codec = m && (mod[`${m[1]}Codec`] as Codec<unknown> | undefined);
    if (m && typeof fn === "function" && codec) TYPED_LOADERS.push({ name: m[1]!, load: fn as (d: Uint8Array) => unknown, codec });
  }
}

type Outcome = { value: unknown } | { error: unknown };
function attempt(f: () => unknown): Outcome {
  try {
    return { value: f() };
  } catch (e) {
    return { error: e };
  }
}

/**
 * A generated loader with and without its fast path: `loadsX(data)` (the exact reader first) and
 * the same codec with `read` removed (the general reader only). Same value, or the same PickleError.
 */
function typedEntry(loader: (typeof TYPED_LOADERS)[number]): Entry {
  const { read: _read, write: _write, ...general }: Codec<unknown> = loader.codec;
  return {
    name: `typed:${loader.name}`,
    allowed: isPickleError,
    run(data) {
      const fast = attempt(() => loader.load(data));
      const slow = attempt(() => loadsTyped(general, data));
      for (const o of [fast, slow]) if ("error" in o && !isPickleError(o.error)) throw o.error;
      if ("value" in fast && "value" in slow) {
        if (!isDeepStrictEqual(fast.value, slow.value)) return [{ kind: "fast-general", detail: "values differ" }];
      } else if ("error" in fast && "error" in slow) {
        if (describe(fast.error) !== describe(slow.error)) return [{ kind: "fast-general", detail: `fast: ${describe(fast.error)} / general: ${describe(slow.error)}` }];
        throw fast.error; // both refused alike: an ordinary refusal
      } else {
        const [ok, failed] = "value" in fast ? ["fast", describe((slow as { error: unknown }).error)] : ["general", describe(fast.error)];
        return [{ kind: "fast-general", detail: `only the ${ok} path accepted; the other: ${failed}` }];
      }
    },
  };
}

export const ENTRIES: Entry[] = [
  loadsEntry("strict"),
  loadsEntry("opaque"),
  loadsAllEntry,
  loadsPlainEntry,
  loadStreamEntry,
  ...TYPED_LOADERS.map(typedEntry),
  ...[0, 1, 2, 3, 4, 5].map(dumpsEntry),
  disEntry,
  scanEntry,
  showEntry,
];

export const ENTRY_NAMES = ENTRIES.map((e) => e.name);
