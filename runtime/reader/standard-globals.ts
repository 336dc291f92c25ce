// The default allowlist: the standard library's own reductions (../shared/PICKLE-FACTS.md §6–8) and
// the helpers CPython's pickler writes around them. Each handler checks its arguments as the real
// callable would and builds our model value; none of them can reach anything else.
import { PyBytearray, PyFrozenSet, PyOrderedDict, PyTuple } from "../model/containers.ts";
import { PyDate, PyDateTime, PyTime, PyTimeDelta, PyTimezone, PyZoneInfo } from "../model/datetime.ts";
import { PyGlobal, PyObject } from "../model/objects.ts";
import { PyComplex, PyDecimal, PyUUID } from "../model/scalars.ts";
import type { PyValue } from "../model/value.ts";
import { typeName } from "./dict-keys.ts";
import { type BuildContext, type GlobalHandler, type GlobalRegistry, KnownGlobal, ReductionError, SET_STATE } from "./globals.ts";

function fail(message: string): never {
  throw new ReductionError(message);
}

function arity(name: string, args: readonly PyValue[], min: number, max: number): void {
  if (args.length < min || args.length > max) {
    fail(`${name}() takes ${min === max ? min : `${min} to ${max}`} arguments (${args.length} given)`);
  }
}

function smallInt(name: string, v: PyValue | undefined): number {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v !== "bigint") fail(`${name}: an integer is required (got type ${typeName(v)})`);
  if (v < BigInt(Number.MIN_SAFE_INTEGER) || v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`${name}: Python int too large`);
  return Number(v);
}

function iterableItems(name: string, v: PyValue | undefined): readonly PyValue[] {
  if (Array.isArray(v)) return v;
  if (v instanceof PyTuple) return v.items;
  if (v instanceof Set) return [...v];
  if (typeof v === "string") return [...v];
  fail(`${name}: '${typeName(v)}' object is not iterable`);
}

/** Python 2-era and protocol ≤2 pickles carry bytes as a latin-1 str; datetime accepts both. */
function bytesArg(v: PyValue | undefined): Uint8Array | undefined {
  if (v instanceof Uint8Array && !(v instanceof PyBytearray)) return v;
  if (typeof v === "string" && /^[\u0000-\u00ff]*$/.test(v)) return Uint8Array.from(v, (c) => c.charCodeAt(0));
  return undefined;
}

function encodeStr(text: string, encoding: string): Uint8Array {
  const enc = encoding.toLowerCase().replace(/_/g, "-");
  if (enc === "latin1" || enc === "latin-1" || enc === "iso-8859-1" || enc === "l1") {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 0xff) fail(`'latin-1' codec can't encode character at position ${i}: ordinal not in range(256)`);
      out[i] = c;
    }
    return out;
  }
  if (enc === "ascii" || enc === "us-ascii") {
    if (!/^[\u0000-\u007f]*$/.test(text)) fail("'ascii' codec can't encode characters: ordinal not in range(128)");
    return Uint8Array.from(text, (c) => c.charCodeAt(0));
  }
  if (enc === "utf-8" || enc === "utf8") return new TextEncoder().encode(text);
  fail(`encoding '${encoding}' is not supported by this reader`);
}

const codecsEncode: GlobalHandler = {
  call(args, ctx) {
    arity("encode", args, 1, 3);
    const [text, encoding = "utf-8"] = args;
    if (typeof text !== "string") fail(`encode: expected str, got ${typeName(text)}`);
    if (typeof encoding !== "string") fail("encode() argument 'encoding' must be str");
    if (args.length === 3 && args[2] !== "strict") fail("encode: only the 'strict' error handler is supported");
    ctx.charge(text.length);
    return encodeStr(text, encoding);
  },
};

function makeSet(name: string, args: readonly PyValue[], ctx: BuildContext, frozen: boolean): Set<PyValue> {
  arity(name, args, 0, 1);
  const items = args.length ? iterableItems(name, args[0]) : [];
  ctx.charge(items.length * 16);
  const set: Set<PyValue> = frozen ? new PyFrozenSet() : new Set();
  for (const item of items) ctx.setAdd(set, item);
  return set;
}

function bytesLike(name: string, args: readonly PyValue[], ctx: BuildContext): Uint8Array {
  arity(name, args, 0, 2);
  if (args.length === 0) return new Uint8Array(0);
  const [source, encoding] = args;
  if (args.length === 2) {
    if (typeof source !== "string" || typeof encoding !== "string") fail(`${name}: string argument with an encoding expected`);
    ctx.charge(source.length);
    return encodeStr(source, encoding);
  }
  if (source instanceof Uint8Array) {
    ctx.charge(source.length);
    return source.slice();
  }
  if (Array.isArray(source)) {
    ctx.charge(source.length);
    return Uint8Array.from(source, (b) => {
      const n = smallInt(name, b);
      if (n < 0 || n > 255) fail("bytes must be in range(0, 256)");
      return n;
    });
  }
  fail(`${name}: cannot convert '${typeName(source)}' object to bytes`);
}

function tzinfoArg(v: PyValue | undefined): PyValue | null {
  if (v === undefined || v === null) return null;
  if (v instanceof PyTimezone || v instanceof PyZoneInfo || v instanceof PyObject) return v;
  fail(`bad tzinfo state arg (got ${typeName(v)})`);
}

const datetimeDatetime: GlobalHandler = {
  call(args) {
    const state = bytesArg(args[0]);
    if (state && state.length === 10 && (state[2]! & 0x7f) >= 1 && (state[2]! & 0x7f) <= 12) {
      arity("datetime", args, 1, 2);
      const fold = state[2]! & 0x80 ? 1 : 0;
      return new PyDateTime(
        state[0]! * 256 + state[1]!,
        state[2]! & 0x7f,
        state[3]!,
        state[4]!,
        state[5]!,
        state[6]!,
        (state[7]! << 16) | (state[8]! << 8) | state[9]!,
        tzinfoArg(args[1]),
        fold,
      );
    }
    arity("datetime", args, 3, 8);
    const f = args.slice(0, 7).map((v, i) => smallInt("datetime", v));
    return new PyDateTime(f[0]!, f[1]!, f[2]!, f[3] ?? 0, f[4] ?? 0, f[5] ?? 0, f[6] ?? 0, tzinfoArg(args[7]));
  },
};

const datetimeDate: GlobalHandler = {
  call(args) {
    const state = bytesArg(args[0]);
    if (state && state.length === 4 && state[2]! >= 1 && state[2]! <= 12) {
      arity("date", args, 1, 1);
      return new PyDate(state[0]! * 256 + state[1]!, state[2]!, state[3]!);
    }
    arity("date", args, 3, 3);
    const [y, m, d] = args.map((v) => smallInt("date", v));
    return new PyDate(y!, m!, d!);
  },
};

const datetimeTime: GlobalHandler = {
  call(args) {
    const state = bytesArg(args[0]);
    if (state && state.length === 6 && (state[0]! & 0x7f) < 24) {
      arity("time", args, 1, 2);
      const fold = state[0]! & 0x80 ? 1 : 0;
      return new PyTime(state[0]! & 0x7f, state[1]!, state[2]!, (state[3]! << 16) | (state[4]! << 8) | state[5]!, tzinfoArg(args[1]), fold);
    }
    arity("time", args, 0, 5);
    const f = args.slice(0, 4).map((v) => smallInt("time", v));
    return new PyTime(f[0] ?? 0, f[1] ?? 0, f[2] ?? 0, f[3] ?? 0, tzinfoArg(args[4]));
  },
};

const datetimeTimedelta: GlobalHandler = {
  call(args) {
    arity("timedelta", args, 0, 3);
    const [d = 0, s = 0, us = 0] = args.map((v) => smallInt("timedelta", v));
    return new PyTimeDelta(d, s, us);
  },
};

const datetimeTimezone: GlobalHandler = {
  call(args) {
    arity("timezone", args, 1, 2);
    const [offset, name] = args;
    if (!(offset instanceof PyTimeDelta)) fail(`timezone() argument 1 must be datetime.timedelta, not ${typeName(offset)}`);
    if (name !== undefined && typeof name !== "string") fail(`timezone() argument 2 must be str, not ${typeName(name)}`);
    return new PyTimezone(offset, name ?? null);
  },
};

const zoneinfoUnpickle: GlobalHandler = {
  call(args) {
    arity("_unpickle", args, 2, 2);
    const [key, fromCache] = args;
    if (typeof key !== "string") fail(`ZoneInfo key must be str, not ${typeName(key)}`);
    smallInt("_unpickle", fromCache);
    return new PyZoneInfo(key);
  },
};

const zoneinfoZoneInfo: GlobalHandler = {
  call(args) {
    arity("ZoneInfo", args, 1, 1);
    if (typeof args[0] !== "string") fail("ZoneInfo key must be str");
    return new PyZoneInfo(args[0]);
  },
  attribute(name) {
    return name === "_unpickle" ? new KnownGlobal("zoneinfo", "ZoneInfo._unpickle", zoneinfoUnpickle) : undefined;
  },
};

const decimalDecimal: GlobalHandler = {
  call(args) {
    arity("Decimal", args, 0, 2);
    const [v = "0"] = args;
    if (typeof v === "string") return new PyDecimal(v);
    if (typeof v === "bigint") return new PyDecimal(v.toString());
    fail(`conversion from ${typeName(v)} to Decimal is not supported by this reader`);
  },
};

/** A UUID under construction: NEWOBJ makes it, BUILD fills it in place (the memo may hold it). */
class BuildingUUID extends PyUUID {
  [SET_STATE](state: PyValue): void {
    if (!(state instanceof Map)) fail("UUID state must be a dict");
    const int = state.get("int");
    if (typeof int !== "bigint" || int < 0n || int >= 1n << 128n) fail("UUID state 'int' must be a 128-bit int");
    const safe = state.get("is_safe");
    const isSafe = safe === undefined || safe === null ? null : safe === 0n ? 0 : safe === -1n ? -1 : fail(`${safe} is not a valid SafeUUID`);
    Object.assign(this, { int, isSafe });
  }
}

const uuidUUID: GlobalHandler = {
  construct(args) {
    if (args.length !== 0) fail("UUID.__new__ takes no arguments");
    return new BuildingUUID(0n);
  },
};

const orderedDict: GlobalHandler = {
  call(args, ctx) {
    arity("OrderedDict", args, 0, 1);
    const dict = new PyOrderedDict();
    if (args.length === 1) {
      const pairs = iterableItems("OrderedDict", args[0]);
      ctx.charge(pairs.length * 16);
      for (const pair of pairs) {
        const kv = Array.isArray(pair) ? pair : pair instanceof PyTuple ? pair.items : fail("OrderedDict: items must be pairs");
        if (kv.length !== 2) fail("OrderedDict: items must be pairs");
        ctx.dictSet(dict, kv[0]!, kv[1]!);
      }
    }
    return dict;
  },
};

function floatPart(v: PyValue | undefined): number {
  if (v === undefined) return 0;
  if (typeof v === "number") return v;
  if (typeof v === "bigint" || typeof v === "boolean") return Number(v);
  fail(`complex() argument must be a number, not '${typeName(v)}'`);
}

const builtinsComplex: GlobalHandler = {
  call(args) {
    arity("complex", args, 0, 2);
    return new PyComplex(floatPart(args[0]), floatPart(args[1]));
  },
};

/** `builtins.getattr` is never callable as such: only (allowed global, allowed attribute) shapes. */
const builtinsGetattr: GlobalHandler = {
  call(args, ctx) {
    arity("getattr", args, 2, 2);
    const [target, name] = args;
    if (typeof name !== "string") fail("getattr(): attribute name must be string");
    const attr = target instanceof KnownGlobal ? target.handler.attribute?.(name, ctx) : undefined;
    if (attr === undefined) {
      const what = target instanceof PyGlobal ? target.qualifiedName : typeName(target);
      fail(`getattr(${what}, '${name}') is not allowed`);
    }
    return attr;
  },
};

/**
 * copyreg._reconstructor(cls, base, state): `object.__new__(cls)` when base is object, else
 * `base.__new__(cls, state)`. For a tuple base (a namedtuple at protocols 0/1) that is the class
 * built from the state's items, recorded as such: cls(*state).
 */
const copyregReconstructor: GlobalHandler = {
  call(args, ctx) {
    arity("_reconstructor", args, 3, 3);
    const [cls, base, state] = args;
    const baseName = base instanceof PyGlobal ? base.qualifiedName : "";
    if (baseName === "builtins.object") return ctx.construct("_reconstructor", cls, [], null);
    if (baseName === "builtins.tuple" && state instanceof PyTuple) return ctx.construct("_reconstructor", cls, state.items, null);
    return ctx.construct("_reconstructor", cls, [state!], null);
  },
};

const copyregNewobj: GlobalHandler = {
  call(args, ctx) {
    if (args.length < 1) fail("__newobj__() missing the class argument");
    return ctx.construct("__newobj__", args[0], args.slice(1), null);
  },
};

const copyregNewobjEx: GlobalHandler = {
  call(args, ctx) {
    arity("__newobj_ex__", args, 3, 3);
    const [cls, posArgs, kwargs] = args;
    if (!(posArgs instanceof PyTuple)) fail("__newobj_ex__ args must be a tuple");
    if (!(kwargs instanceof Map)) fail("__newobj_ex__ kwargs must be a dict");
    return ctx.construct("__newobj_ex__", cls, posArgs.items, kwargs);
  },
};

/** A class that may only be named (a `base` of `_reconstructor`), never called. */
const nameOnly: GlobalHandler = {};

const STANDARD: Record<string, GlobalHandler> = {
  "builtins.set": { call: (args, ctx) => makeSet("set", args, ctx, false) },
  "builtins.frozenset": { call: (args, ctx) => makeSet("frozenset", args, ctx, true) },
  "builtins.bytes": { call: (args, ctx) => bytesLike("bytes", args, ctx) },
  "builtins.bytearray": {
    call: (args, ctx) => {
      const bytes = bytesLike("bytearray", args, ctx);
      const out = new PyBytearray(bytes.length);
      out.set(bytes);
      return out;
    },
  },
  "builtins.complex": builtinsComplex,
  "builtins.getattr": builtinsGetattr,
  // Bases that copyreg._reconstructor names (subclasses of builtins at protocols 0/1): named, never called.
  "builtins.object": nameOnly,
  "builtins.tuple": nameOnly,
  "builtins.list": nameOnly,
  "builtins.dict": nameOnly,
  "builtins.int": nameOnly,
  "builtins.float": nameOnly,
  "builtins.str": nameOnly,
  "_codecs.encode": codecsEncode,
  "copyreg._reconstructor": copyregReconstructor,
  "copyreg.__newobj__": copyregNewobj,
  "copyreg.__newobj_ex__": copyregNewobjEx,
  "datetime.datetime": datetimeDatetime,
  "datetime.date": datetimeDate,
  "datetime.time": datetimeTime,
  "datetime.timedelta": datetimeTimedelta,
  "datetime.timezone": datetimeTimezone,
  "decimal.Decimal": decimalDecimal,
  "uuid.UUID": uuidUUID,
  "collections.OrderedDict": orderedDict,
  "zoneinfo.ZoneInfo": zoneinfoZoneInfo,
};

/** The default allowlist. Copy it into a new Map to add classes of your own. */
export const STANDARD_GLOBALS: GlobalRegistry = new Map(Object.entries(STANDARD));
