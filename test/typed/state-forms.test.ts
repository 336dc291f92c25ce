// A pickle whose state form is not the schema's is refused naming the form it is in and the
// declaration that reads it, instead of a field "missing" further on. The pickles are CPython's, of
// classes in each form (a plain class, a slots dataclass, a namedtuple, a __getstate__ tuple, a
// __reduce__), read through codecs built as the generator builds them (defineClass + the state helpers).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  type NamedCodec,
  PyGlobal,
  type PyValue,
  type StateForm,
  T,
  UnpicklingError,
  argsOf,
  defineClass,
  dictState,
  expectInstance,
  loadsTyped,
  missing,
  slotState,
  tupleState,
} from "typed-pickle";
import { fromHex, runPython } from "../support/python.ts";

const test = suite("state forms");

const PICKLES: Record<string, string> = JSON.parse(
  runPython([
    "-c",
    `
import collections, dataclasses, json, pickle, sys, types
shop = types.ModuleType("shop")
sys.modules["shop"] = shop
made = {}

def dump(key, cls, value):
    cls.__module__, cls.__qualname__ = "shop", "Point"
    shop.Point = cls
    made[key] = pickle.dumps(value, 4).hex()

class Plain:
    def __init__(self, x, y):
        self.x, self.y = x, y
dump("dict", Plain, Plain(1, 2))

@dataclasses.dataclass(slots=True)
class Slotted:
    x: int
    y: int
dump("slots", Slotted, Slotted(1, 2))

Named = collections.namedtuple("Point", "x y")
dump("args", Named, Named(1, 2))

class TupleState:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __getstate__(self):
        return (self.x, self.y)
    def __setstate__(self, state):
        self.x, self.y = state
dump("tuple", TupleState, TupleState(1, 2))

class Reduced:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __reduce__(self):
        return (Reduced, (self.x, self.y))
dump("reduce", Reduced, Reduced(1, 2))

class ArgsAndDict:
    def __new__(cls, x, y=None):
        return object.__new__(cls)
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __getnewargs__(self):
        return (self.x,)
dump("args+dict", ArgsAndDict, ArgsAndDict(1, 2))

class Keywords:
    def __new__(cls, x=None, y=None):
        return object.__new__(cls)
    def __getnewargs_ex__(self):
        return ((), {"x": 1, "y": 2})
dump("kwargs", Keywords, Keywords())

@dataclasses.dataclass(slots=True, frozen=True)
class FrozenSlots:
    x: int
    y: int
dump("list-state", FrozenSlots, FrozenSlots(1, 2))
print(json.dumps(made))
`,
  ]),
);

interface Point {
  x: number;
  y: number;
}

const POINT = new PyGlobal("shop", "Point");

/** A codec for shop.Point declared in `state`, built as the generator builds one (fromPy only). */
function pointCodec(state: StateForm): NamedCodec<Point> {
  return defineClass<Point>({
    global: POINT,
    state,
    fields: () => [T.int, T.int],
    toPy: () => {
      throw new Error("not used");
    },
    fromPy(input, ctx) {
      const o = expectInstance(input, POINT, ctx);
      const previous = ctx.enter(o);
      let x: PyValue | undefined;
      let y: PyValue | undefined;
      if (state === "dict" || state === "slots") {
        const s = state === "dict" ? dictState(o, ctx) : slotState(o, ctx);
        [x, y] = [s.get("x"), s.get("y")];
      } else {
        [x, y] = state === "tuple" ? tupleState(o, 2, ctx) : argsOf(o, 2, ctx);
      }
      ctx.trail.in("x");
      const value = { x: x !== undefined ? T.int.fromPy(x, ctx) : missing(ctx), y: 0 };
      ctx.trail.at("y");
      value.y = y !== undefined ? T.int.fromPy(y, ctx) : missing(ctx);
      ctx.trail.out();
      ctx.leave(previous);
      return value;
    },
  });
}

const FORMS: StateForm[] = ["dict", "slots", "args", "tuple", "reduce"];

/** Pairs that read each other on purpose: slots reads a dict-only state; args and reduce are both `cls(*args)`. */
const COMPATIBLE = new Set(["slots<-dict", "args<-reduce", "reduce<-args"]);

function load(pickled: string, declared: StateForm): Point | string {
  try {
    return loadsTyped(pointCodec(declared), fromHex(PICKLES[pickled]!));
  } catch (e) {
    if (e instanceof UnpicklingError) return e.reason;
    throw e;
  }
}

test("each form's pickle reads with its own declaration (and the compatible ones)", () => {
  for (const pickled of FORMS) {
    for (const declared of FORMS) {
      if (pickled === declared || COMPATIBLE.has(`${declared}<-${pickled}`)) assert.equal(load(pickled, declared), { x: 1, y: 2 }, `${pickled} read as ${declared}`);
    }
  }
});

test("a pickle in another form names that form and the declaration to write", () => {
  const said: Record<string, string> = {
    dict: `Point: the pickle's state (BUILD) is a dict of attributes; declare @pyclass(…, { state: "dict" })`,
    slots: `Point: the pickle's state (BUILD) is __slots__ state (None, {slot: value}); declare @pyclass(…, { state: "slots" })`,
    args: `Point: the pickle passes 2 constructor arguments (NEWOBJ); declare @pyclass(…, { state: "args" })`,
    tuple: `Point: the pickle's state (BUILD) is a tuple of 2; declare @pyclass(…, { state: "tuple" })`,
    reduce: `Point: the pickle passes 2 constructor arguments (REDUCE); declare @pyclass(…, { state: "reduce" })`,
  };
  for (const pickled of FORMS) {
    for (const declared of FORMS) {
      if (pickled === declared || COMPATIBLE.has(`${declared}<-${pickled}`)) continue;
      assert.is(load(pickled, declared), said[pickled], `${pickled} read as ${declared}`);
    }
  }
});

test("what no state form holds is refused, not dropped", () => {
  assert.is(
    load("args+dict", "dict"),
    "Point: the pickle passes 1 constructor argument (NEWOBJ) and a state (BUILD) of a dict of attributes; a schema class reads one or the other",
  );
  assert.is(load("args+dict", "args"), load("args+dict", "dict"));
  assert.is(load("kwargs", "args"), "Point: the pickle passes keyword arguments to __new__ (NEWOBJ_EX: a __getnewargs_ex__), which a schema class cannot hold");
});

test("a state of another type, or a count that differs, keeps the plain message", () => {
  assert.is(load("list-state", "dict"), "Point: expected a dict of attributes as state, got list");
  assert.is(load("list-state", "tuple"), "Point: expected a tuple of 2 as state, got list");
  const threeArgs = defineClass<Point>({
    global: POINT,
    state: "args",
    fields: () => [],
    toPy: () => null,
    fromPy: (input, ctx) => (argsOf(expectInstance(input, POINT, ctx), 3, ctx), { x: 0, y: 0 }),
  });
  assert.throws(
    () => loadsTyped(threeArgs, fromHex(PICKLES.args!)),
    (e: unknown) => e instanceof UnpicklingError && e.reason === "Point: expected 3 constructor arguments, got 2",
  );
});

test("the error is placed at the instance's opcode", () => {
  const e = (() => {
    try {
      loadsTyped(pointCodec("dict"), fromHex(PICKLES.args!));
    } catch (err) {
      return err as UnpicklingError;
    }
  })()!;
  assert.is(e.opcode, "NEWOBJ");
});

test.run();
