// A pickle naming a class the schema has under another module (`shop.models.Session` where the schema
// says `shop.Session`, or the reverse) is refused with a hint naming the schema's module, so the
// cause — a wrong @pyclass module — is plain. Pickles are CPython's.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type NamedCodec, PyGlobal, T, UnpicklingError, defineClass, dictState, expectInstance, loadsTyped, loads } from "typed-pickle";
import { fromHex, runPython } from "../support/python.ts";

const test = suite("module hint");

const NAMES = ["shop.models.Session", "shop.Session", "shop.Cart", "shop.OrderedDict"];

/** CPython's pickles of a plain instance (one attribute) of each class, by `module.qualname`. */
const PICKLES: Record<string, string> = JSON.parse(
  runPython([
    "-c",
    `
import json, pickle, sys, types
made = {}
for full in json.loads(sys.argv[1]):
    module, qualname = full.rsplit(".", 1)
    parts = module.split(".")
    for i in range(len(parts)):
        sys.modules.setdefault(".".join(parts[: i + 1]), types.ModuleType(".".join(parts[: i + 1])))
    C = type(qualname, (), {})
    C.__module__ = module
    setattr(sys.modules[module], qualname, C)
    c = C()
    c.token = "t"
    made[full] = pickle.dumps(c, 4).hex()
print(json.dumps(made))
`,
    JSON.stringify(NAMES),
  ]),
);

const pickleOf = (module: string, qualname: string) => fromHex(PICKLES[`${module}.${qualname}`]!);

function sessionCodec(module: string): NamedCodec<{ token: string }> {
  const global = new PyGlobal(module, "Session");
  return defineClass({
    global,
    state: "dict",
    fields: () => [T.str],
    toPy: () => null,
    fromPy(input, ctx) {
      const state = dictState(expectInstance(input, global, ctx), ctx);
      return { token: T.str.fromPy(state.get("token") ?? null, ctx) };
    },
  });
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof UnpicklingError) return e.reason;
    throw e;
  }
  return "loaded";
}

test("the schema's class in another module: the refusal names it", () => {
  assert.is(
    refusal(() => loadsTyped(sessionCodec("shop"), pickleOf("shop.models", "Session"))),
    "global 'shop.models.Session' is not allowed (the schema's Session is shop.Session: is @pyclass's module right?)",
  );
  assert.is(
    refusal(() => loadsTyped(sessionCodec("shop.models"), pickleOf("shop", "Session"))),
    "global 'shop.Session' is not allowed (the schema's Session is shop.models.Session: is @pyclass's module right?)",
  );
  // The right module loads.
  assert.equal(loadsTyped(sessionCodec("shop"), pickleOf("shop", "Session")), { token: "t" });
});

test("no hint where nothing in the schema has that name, nor for a standard reduction's name", () => {
  assert.is(
    refusal(() => loadsTyped(sessionCodec("shop"), pickleOf("shop", "Cart"))),
    "global 'shop.Cart' is not allowed",
  );
  assert.is(
    refusal(() => loadsTyped(sessionCodec("shop"), pickleOf("shop", "OrderedDict"))),
    "global 'shop.OrderedDict' is not allowed",
  );
  assert.is(
    refusal(() => loads(pickleOf("shop.models", "Session"), { mode: "strict" })),
    "global 'shop.models.Session' is not allowed",
  );
});

test.run();
