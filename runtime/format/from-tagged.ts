// The value a tagged JSON tree describes (the inverse of toTagged): "id"/"ref" make shared values
// and cycles. Lists and dicts are made empty first and filled last, so a ref may point back to an
// enclosing list, dict or tuple. Dicts and sets follow Python's key equality, as the reader does
// (1, 1.0 and True are one key; -0.0 and NaN keys are boxed as PyFloat).
import { PyBytearray, PyFrozenSet, PyOrderedDict, PyTuple } from "../model/containers.ts";
import { PyDate, PyDateTime, PyTime, PyTimeDelta, PyTimezone, PyZoneInfo } from "../model/datetime.ts";
import { PickleBuffer, PyGlobal, PyObject } from "../model/objects.ts";
import { PyComplex, PyDecimal, PyUUID } from "../model/scalars.ts";
import type { PyValue } from "../model/value.ts";
import { KeyCanon } from "../reader/dict-keys.ts";
import { hexToBytes } from "../hex.ts";
import { fromNumpyTag } from "../numpy/tagged.ts";
import type { Tagged } from "./tagged-json.ts";

const TAGS = new Set(["id", "tzinfo", "fold", "name", "readonly"]);

function parseFloatRepr(text: string): number {
  if (text === "nan") return NaN;
  if (text === "inf") return Infinity;
  if (text === "-inf") return -Infinity;
  return Number(text);
}

const bytesOf = hexToBytes;

function parseIsoDate(text: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new SyntaxError(`bad date '${text}'`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function parseIsoTime(text: string): [number, number, number, number] {
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{6}))?$/.exec(text);
  if (!m) throw new SyntaxError(`bad time '${text}'`);
  return [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
}

export function fromTagged(root: Tagged): PyValue {
  const labelled = new Map<unknown, Tagged>();
  const index = (node: unknown) => {
    const stack = [node];
    while (stack.length > 0) {
      const n = stack.pop();
      // Pushed one by one, not spread: a list can have more items than a call can take arguments.
      if (Array.isArray(n)) for (const x of n) stack.push(x);
      else if (n && typeof n === "object") {
        if ("id" in n) labelled.set(n.id, n);
        for (const x of Object.values(n)) stack.push(x);
      }
    }
  };
  index(root);
  const made = new Map<Tagged, PyValue>();
  const keys = new KeyCanon();
  const fills: (() => void)[] = [];

  const build = (node: Tagged): PyValue => {
    if ("ref" in node) {
      const target = labelled.get(node.ref);
      if (!target) throw new SyntaxError(`ref ${String(node.ref)} has no id`);
      node = target;
    }
    if (made.has(node)) return made.get(node)!;
    const kind = Object.keys(node).find((k) => !TAGS.has(k));
    if (kind === undefined) throw new SyntaxError(`no tag in ${JSON.stringify(node)}`);
    // The JSON under the tag; each case below states the shape its tag carries.
    const body: unknown = node[kind];
    let value: PyValue;
    switch (kind) {
      case "none":
        value = null;
        break;
      case "bool":
        value = body as boolean;
        break;
      case "int":
        value = BigInt(body as string);
        break;
      case "float":
        value = parseFloatRepr(body as string);
        break;
      case "str":
        value = body as string;
        break;
      case "bytes":
        value = bytesOf(body as string);
        break;
      case "bytearray": {
        const b = bytesOf(body as string);
        const out = new PyBytearray(b.length);
        out.set(b);
        value = out;
        break;
      }
      case "complex":
        value = new PyComplex(parseFloatRepr((body as string[])[0]!), parseFloatRepr((body as string[])[1]!));
        break;
      case "list": {
        const list: PyValue[] = [];
        value = list;
        fills.push(() => {
          for (const item of body as Tagged[]) list.push(build(item));
        });
        break;
      }
      case "dict":
      case "ordereddict": {
        const dict: Map<PyValue, PyValue> = kind === "dict" ? new Map() : new PyOrderedDict();
        value = dict;
        fills.push(() => {
          for (const [k, v] of body as [Tagged, Tagged][]) keys.dictSet(dict, build(k), build(v));
        });
        break;
      }
      case "tuple":
        made.set(node, null); // a tuple never contains itself directly
        value = new PyTuple((body as Tagged[]).map(build));
        break;
      case "set":
      case "frozenset": {
        const set: Set<PyValue> = kind === "set" ? new Set() : new PyFrozenSet();
        for (const m of body as Tagged[]) keys.setAdd(set, build(m));
        value = set;
        break;
      }
      case "global": {
        const text = body as string;
        const dot = text.indexOf(".");
        value = new PyGlobal(text.slice(0, dot), text.slice(dot + 1));
        break;
      }
      case "decimal":
        value = new PyDecimal(body as string);
        break;
      case "uuid":
        value = PyUUID.parse(body as string);
        break;
      case "date":
        value = new PyDate(...parseIsoDate(body as string));
        break;
      case "timedelta": {
        const [d, s, us] = body as [number, number, number];
        value = new PyTimeDelta(d, s, us);
        break;
      }
      case "timezone": {
        const [d, s, us] = body as [number, number, number];
        const offset = new PyTimeDelta(d, s, us);
        value = node.name === undefined && d === 0 && s === 0 && us === 0 ? PyTimezone.utc : new PyTimezone(offset, (node.name as string | undefined) ?? null);
        break;
      }
      case "zoneinfo":
        value = new PyZoneInfo(body as string);
        break;
      case "datetime":
      case "time": {
        const tz = node.tzinfo === undefined ? null : build(node.tzinfo as Tagged);
        const fold = node.fold === 1 ? 1 : 0;
        if (kind === "datetime") {
          const [date, time] = (body as string).split("T") as [string, string];
          value = new PyDateTime(...parseIsoDate(date), ...parseIsoTime(time), tz, fold);
        } else {
          value = new PyTime(...parseIsoTime(body as string), tz, fold);
        }
        break;
      }
      case "picklebuffer":
        value = new PickleBuffer(bytesOf(body as string), node.readonly === true);
        break;
      case "object": {
        const o = body as Record<string, unknown>;
        const cls = typeof o.class === "string" ? build({ global: o.class }) : build(o.class as Tagged);
        const obj = new PyObject(cls, (o.args as Tagged[]).map(build), null, o.kwargs ? "newobj_ex" : "newobj");
        value = obj;
        fills.push(() => {
          if (o.kwargs) (obj as { kwargs: Map<PyValue, PyValue> | null }).kwargs = new Map((o.kwargs as [Tagged, Tagged][]).map(([k, v]) => [build(k), build(v)]));
          if ("state" in o) obj.state = build(o.state as Tagged);
          if (o.listitems) obj.listItems = (o.listitems as Tagged[]).map(build);
          if (o.dictitems) obj.dictItems = (o.dictitems as [Tagged, Tagged][]).map(([k, v]) => [build(k), build(v)]);
        });
        break;
      }
      case "ndarray":
      case "numpy_scalar":
      case "numpy_dtype":
        value = fromNumpyTag(kind, body);
        break;
      default:
        throw new SyntaxError(`unknown tag '${kind}'`);
    }
    made.set(node, value);
    return value;
  };

  const value = build(root);
  for (let i = 0; i < fills.length; i++) fills[i]!();
  return value;
}
