// The default allowlist: the standard library's own reductions (../shared/PICKLE-FACTS.md §6–8) and
// the helpers CPython's pickler writes around them. Each handler checks its arguments as the real
// callable would and builds our model value; none of them can reach anything else.
import { PyBytearray, PyFrozenSet, PyOrderedDict, PyTuple } from "../model/containers.ts";
import { PyDate, PyDateTime, PyTime, PyTimeDelta, PyTimezone, PyZoneInfo } from "../model/datetime.ts";
import { dateFromState, dateTimeFromState, isDateState, isDateTimeState, isTimeState, timeFromState } from "../model/datetime-state.ts";
import { PyGlobal, PyObject } from "../model/objects.ts";
import { PyComplex, PyDecimal, PyUUID } from "../model/scalars.ts";
import type { PyValue } from "../model/value.ts";
import { strRepr } from "../format/str-repr.ts";
import { hasLoneSurrogate } from "../utf8.ts";
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

/** The encodings `_codecs.encode` is answered for, by CPython's normalized names and aliases. */
function codecOf(encoding: string): { name: string; limit: number } | undefined {
  const key = encoding.toLowerCase().replace(/[-\s]/g, "_");
  if (["latin_1", "latin1", "latin", "l1", "iso8859_1", "iso_8859_1", "8859", "cp819", "iso_ir_100", "csisolatin1"].includes(key)) return { name: "latin-1", limit: 0x100 };
  if (["ascii", "us_ascii", "646", "us", "ansi_x3.4_1968", "cp367", "csascii", "ibm367", "iso646_us", "iso_646.irv_1991", "iso_ir_6"].includes(key))
    return { name: "ascii", limit: 0x80 };
  if (["utf_8", "utf8", "u8", "utf", "cp65001", "utf8_ucs2", "utf8_ucs4"].includes(key)) return { name: "utf-8", limit: 0x110000 };
  return undefined;
}

const isSurrogate = (cp: number) => cp >= 0xd800 && cp <= 0xdfff;

/**
 * `str.encode(encoding, errors)` for latin-1, ASCII and UTF-8, with CPython's error handlers:
 * strict, ignore, replace, backslashreplace, xmlcharrefreplace, surrogateescape, surrogatepass
 * (UTF-8 only). namereplace needs the Unicode name database and is refused (but for surrogates,
 * which have no name); an unknown handler is
 * an error only when a character needs it, as in CPython. Text is taken by code point: a lone
 * surrogate is one, as in Python (UTF-8 refuses it unless a handler takes it).
 */
function encodeStr(text: string, encoding: string, errors = "strict"): Uint8Array {
  const codec = codecOf(encoding);
  if (!codec) fail(`encoding '${encoding}' is not supported by this reader`);
  // The common cases (every bytes value at protocols 0–2 is latin-1 text) without a handler in sight.
  if (codec.name === "utf-8") {
    if (!hasLoneSurrogate(text)) return new TextEncoder().encode(text);
  } else {
    const bytes = new Uint8Array(text.length);
    let i = 0;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= codec.limit) break;
      bytes[i] = c;
    }
    if (i === text.length) return bytes;
  }
  const out: number[] = [];
  const pushUtf8 = (cp: number) => {
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  };
  const pushAscii = (s: string) => {
    for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
  };
  let position = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const encodable = codec.name === "utf-8" ? !isSurrogate(cp) : cp < codec.limit;
    if (encodable) {
      if (codec.name === "utf-8") pushUtf8(cp);
      else out.push(cp);
    } else {
      unencodable(cp, position);
    }
    position++;
  }
  return Uint8Array.from(out);

  function unencodable(cp: number, at: number): void {
    switch (errors) {
      case "strict":
        break;
      case "ignore":
        return;
      case "replace":
        out.push(0x3f);
        return;
      case "backslashreplace":
        pushAscii(cp < 0x100 ? `\\x${hex(cp, 2)}` : cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`);
        return;
      case "xmlcharrefreplace":
        pushAscii(`&#${cp};`);
        return;
      case "surrogateescape":
        if (cp >= 0xdc80 && cp <= 0xdcff) {
          out.push(cp - 0xdc00);
          return;
        }
        break;
      case "surrogatepass":
        if (codec!.name === "utf-8" && isSurrogate(cp)) {
          pushUtf8(cp);
          return;
        }
        break;
      case "namereplace":
        // A surrogate has no name: CPython writes it as \\uXXXX. Other names need the Unicode database.
        if (isSurrogate(cp)) {
          pushAscii(`\\u${hex(cp, 4)}`);
          return;
        }
        fail("the 'namereplace' error handler is not supported by this reader (it needs the Unicode name database)");
      default:
        throw new ReductionError(`unknown error handler name '${errors}'`);
    }
    const what = codec!.name === "utf-8" ? "surrogates not allowed" : `ordinal not in range(${codec!.limit})`;
    fail(`'${codec!.name}' codec can't encode character '\\u${hex(cp, 4)}' in position ${at}: ${what}`);
  }
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

const codecsEncode: GlobalHandler = {
  call(args, ctx) {
    arity("encode", args, 1, 3);
    const [text, encoding = "utf-8", errors = "strict"] = args;
    if (typeof text !== "string") fail(`encode: expected str, got ${typeName(text)}`);
    if (typeof encoding !== "string") fail(`encode() argument 2 must be str, not ${typeName(encoding)}`);
    if (typeof errors !== "string") fail(`encode() argument 3 must be str, not ${typeName(errors)}`);
    ctx.charge(text.length);
    return encodeStr(text, encoding, errors);
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
  arity(name, args, 0, 3);
  if (args.length === 0) return new Uint8Array(0);
  const [source, encoding, errors = "strict"] = args;
  if (args.length >= 2) {
    if (typeof source !== "string" || typeof encoding !== "string") fail(`${name}: string argument with an encoding expected`);
    if (typeof errors !== "string") fail(`${name}() argument 'errors' must be str, not ${typeName(errors)}`);
    ctx.charge(source.length);
    return encodeStr(source, encoding, errors);
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
    if (state && isDateTimeState(state)) {
      arity("datetime", args, 1, 2);
      return dateTimeFromState(state, 0, tzinfoArg(args[1]));
    }
    arity("datetime", args, 3, 8);
    const f = args.slice(0, 7).map((v) => smallInt("datetime", v));
    return new PyDateTime(f[0]!, f[1]!, f[2]!, f[3] ?? 0, f[4] ?? 0, f[5] ?? 0, f[6] ?? 0, tzinfoArg(args[7]));
  },
};

const datetimeDate: GlobalHandler = {
  call(args) {
    const state = bytesArg(args[0]);
    if (state && isDateState(state)) {
      arity("date", args, 1, 1);
      return dateFromState(state);
    }
    arity("date", args, 3, 3);
    const [y, m, d] = args.map((v) => smallInt("date", v));
    return new PyDate(y!, m!, d!);
  },
};

const datetimeTime: GlobalHandler = {
  call(args) {
    const state = bytesArg(args[0]);
    if (state && isTimeState(state)) {
      arity("time", args, 1, 2);
      return timeFromState(state, tzinfoArg(args[1]));
    }
    arity("time", args, 0, 5);
    const f = args.slice(0, 4).map((v) => smallInt("time", v));
    return new PyTime(f[0] ?? 0, f[1] ?? 0, f[2] ?? 0, f[3] ?? 0, tzinfoArg(args[4]));
  },
};

/** timedelta's parameters in order, with their value in microseconds. */
const TIMEDELTA_UNITS: readonly (readonly [string, bigint])[] = [
  ["days", 86_400_000_000n],
  ["seconds", 1_000_000n],
  ["microseconds", 1n],
  ["milliseconds", 1_000n],
  ["minutes", 60_000_000n],
  ["hours", 3_600_000_000n],
  ["weeks", 604_800_000_000n],
];
/** The order delta_new adds them in (it matters to the float fractions' rounding). */
const ACCUMULATION_ORDER = [2, 3, 1, 4, 5, 0, 6];
const DAY_US = 86_400_000_000n;

function floatToInt(x: number): bigint {
  if (Number.isNaN(x)) fail("cannot convert float NaN to integer");
  if (!Number.isFinite(x)) fail("cannot convert float infinity to integer");
  return BigInt(x);
}

/** C's round(): halfway cases away from zero. */
const roundHalfAway = (x: number) => Math.sign(x) * Math.round(Math.abs(x));

/**
 * timedelta(days, seconds, microseconds, milliseconds, minutes, hours, weeks), as delta_new in
 * Modules/_datetimemodule.c: each part's integer value is added exactly; a float's fraction is
 * split off (modf) and the leftover fractions of microseconds, summed in delta_new's order, are
 * rounded once, half to even.
 */
const datetimeTimedelta: GlobalHandler = {
  call(args) {
    if (args.length > 7) fail(`__new__() takes at most 7 arguments (${args.length} given)`);
    let total = 0n;
    let leftover = 0;
    for (const i of ACCUMULATION_ORDER) {
      if (i >= args.length) continue;
      const v = args[i]!;
      const [unit, factor] = TIMEDELTA_UNITS[i]!;
      if (typeof v === "bigint" || typeof v === "boolean") {
        total += BigInt(v) * factor;
      } else if (typeof v === "number") {
        // accum(): num = intpart + fracpart; intpart·factor exactly, fracpart·factor as a double.
        const whole = Math.trunc(v);
        total += floatToInt(whole) * factor;
        const frac = v - whole;
        if (frac !== 0) {
          const scaled = Number(factor) * frac;
          const scaledWhole = Math.trunc(scaled);
          total += BigInt(scaledWhole);
          leftover += scaled - scaledWhole;
        }
      } else {
        fail(`unsupported type for timedelta ${unit} component: ${typeName(v)}`);
      }
    }
    if (leftover !== 0) {
      let wholeUs = roundHalfAway(leftover);
      if (Math.abs(wholeUs - leftover) === 0.5) {
        const odd = total & 1n ? 1 : 0;
        wholeUs = 2 * roundHalfAway((leftover + odd) * 0.5) - odd;
      }
      total += BigInt(Math.trunc(wholeUs));
    }
    let days = total / DAY_US;
    let rest = total - days * DAY_US;
    if (rest < 0n) {
      rest += DAY_US;
      days -= 1n;
    }
    if (days < -999_999_999n || days > 999_999_999n) fail(`days=${days}; must have magnitude <= 999999999`);
    return new PyTimeDelta(Number(days), 0, Number(rest));
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

/** posixpath.normpath for a relative path. */
function normpath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/") || ".";
}

/**
 * The key checks zoneinfo makes before it looks for the zone (_tzpath._validate_tzfile_path): a
 * relative, normalized path that stays inside the time zone directory. Whether a zone of that
 * name exists is not checked: there is no time zone database here (a browser has none).
 */
function checkZoneKey(key: string): void {
  const shown = strRepr(key);
  if (key.startsWith("/")) fail(`ZoneInfo keys may not be absolute paths, got: ${shown}`);
  if (normpath(key).length !== key.length) fail(`ZoneInfo keys must be normalized relative paths, got: ${shown}`);
  if (!normpath(`_/${key}`).startsWith("_/")) fail(`ZoneInfo keys must refer to subdirectories of TZPATH, got: ${shown}`);
  if (key.includes("\0")) fail(`No time zone found with key ${shown}`);
}

const zoneinfoUnpickle: GlobalHandler = {
  call(args) {
    arity("_unpickle", args, 2, 2);
    const [key, fromCache] = args;
    if (typeof key !== "string") fail(`ZoneInfo key must be str, not ${typeName(key)}`);
    smallInt("_unpickle", fromCache);
    checkZoneKey(key);
    return new PyZoneInfo(key);
  },
};

const zoneinfoZoneInfo: GlobalHandler = {
  call(args) {
    arity("ZoneInfo", args, 1, 1);
    if (typeof args[0] !== "string") fail("ZoneInfo key must be str");
    checkZoneKey(args[0]);
    return new PyZoneInfo(args[0]);
  },
  attribute(name) {
    return name === "_unpickle" ? new KnownGlobal("zoneinfo", "ZoneInfo._unpickle", zoneinfoUnpickle) : undefined;
  },
};

const decimalDecimal: GlobalHandler = {
  call(args) {
    arity("Decimal", args, 0, 2);
    const [v = "0", context = null] = args;
    // Decimal(value, context): no decimal.Context can be made here, and None is the default.
    if (context !== null) fail("optional argument must be a context");
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

/** A number argument of complex(): [real, imag]. An int too large for a float is refused, as CPython. */
function complexPart(v: PyValue | undefined, which: string): readonly [number, number] {
  if (v === undefined) return [0, 0];
  if (typeof v === "number") return [v, 0];
  if (typeof v === "boolean") return [v ? 1 : 0, 0];
  if (typeof v === "bigint") {
    const x = Number(v); // rounds to nearest, ties to even, as int.__float__
    if (!Number.isFinite(x)) fail("int too large to convert to float");
    return [x, 0];
  }
  if (v instanceof PyComplex) return [v.real, v.imag];
  fail(`complex() ${which} must be a number, not '${typeName(v)}'`);
}

/**
 * Python's float literal syntax as float() reads it (underscores between digits, inf/nan). Each
 * part matches one way only, so a long non-matching string costs linear time.
 */
const DIGITS = String.raw`\d(?:_?\d)*`;
const FLOAT_TEXT = String.raw`(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?|inf(?:inity)?|nan`;
const COMPLEX_TEXT = new RegExp(`^(?:([+-]?(?:${FLOAT_TEXT}))(?:([+-](?:${FLOAT_TEXT})?)[jJ])?|([+-]?(?:${FLOAT_TEXT})?)[jJ])$`, "i");

function floatText(text: string): number {
  const plain = text.replace(/_/g, "").toLowerCase();
  if (plain.endsWith("nan")) return NaN;
  if (plain.endsWith("inf") || plain.endsWith("infinity")) return plain.startsWith("-") ? -Infinity : Infinity;
  return Number(plain); // a literal past the float range is ±inf, as float('1e999')
}

const isAsciiSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

function trimAsciiSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isAsciiSpace(text.charCodeAt(start))) start++;
  while (end > start && isAsciiSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/**
 * complex('1+2j'), as complex_subtype_from_string: ASCII whitespace and one pair of parentheses
 * around. Non-ASCII text (which CPython first maps to ASCII digits and spaces) is refused.
 */
function complexFromText(text: string): PyComplex {
  if (/[^\u0000-\u007f]/.test(text)) fail("complex() of non-ASCII text is not supported by this reader");
  let body = trimAsciiSpace(text);
  if (body.startsWith("(") && body.endsWith(")")) body = trimAsciiSpace(body.slice(1, -1));
  const m = COMPLEX_TEXT.exec(body);
  if (!m) fail("complex() arg is a malformed string");
  const sign = (t: string) => (t === "+" || t === "" ? 1 : t === "-" ? -1 : undefined);
  if (m[3] !== undefined) return new PyComplex(0, sign(m[3]) ?? floatText(m[3]));
  const imag = m[2] === undefined ? 0 : (sign(m[2]) ?? floatText(m[2]));
  return new PyComplex(floatText(m[1]!), imag);
}

const builtinsComplex: GlobalHandler = {
  call(args) {
    arity("complex", args, 0, 2);
    const [first, second] = args;
    if (typeof first === "string") {
      if (args.length === 2) fail("complex() can't take second arg if first is a string");
      return complexFromText(first);
    }
    if (typeof second === "string") fail("complex() second arg can't be a string");
    // complex_new: a + b·j, either possibly complex, with CPython's order of operations (signed zeros).
    const [a, b] = [complexPart(first, "first argument"), complexPart(second, "second argument")];
    let real = a[0];
    let imag = second === undefined ? a[1] : b[0];
    if (second instanceof PyComplex) real -= b[1];
    if (first instanceof PyComplex && second !== undefined) imag += a[1];
    return new PyComplex(real, imag);
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
