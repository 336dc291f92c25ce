// pydantic v2 models (state "pydantic"): NEWOBJ + BUILD({'__dict__': fields, '__pydantic_extra__': …,
// '__pydantic_fields_set__': {…}, '__pydantic_private__': …}), against the installed pydantic
// (python/myapp/accounts.py). fields_set, extras and private attributes survive a round trip; at
// protocols 2–5 the bytes are CPython's (the set keeps the order it was read in).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PYDANTIC_STATE, type PydanticState, type PyValue, T, UnpicklingError, classCodec, dumpsTyped, loadsTyped } from "typed-pickle";
import { fromHex, runPython, runPythonJsonLines, toHex } from "../support/python.ts";
import { refusal } from "../support/refusal.ts";

const test = suite("pydantic v2 models");

class Item {
  name!: string;
  qty!: number;
  tags!: string[];
}
class Order {
  id!: number;
  items!: Item[];
  note!: string | null;
}
class Loose {
  name!: string;
}
class Secret {
  name!: string;
}

const ItemCodec = classCodec(Item, { module: "myapp.accounts", qualname: "Item", state: "pydantic", fields: { name: T.str, qty: T.int, tags: T.list(T.str) } });
const OrderCodec = classCodec(Order, {
  module: "myapp.accounts",
  qualname: "Order",
  state: "pydantic",
  fields: { id: T.int, items: T.list(ItemCodec), note: T.optional(T.str) },
});
const LooseCodec = classCodec(Loose, { module: "myapp.accounts", qualname: "Loose", state: "pydantic", fields: { name: T.str } });
const SecretCodec = classCodec(Secret, { module: "myapp.accounts", qualname: "Secret", state: "pydantic", fields: { name: T.str } });

const CODECS = { item_defaults: ItemCodec, item_set: ItemCodec, order_shared: OrderCodec, order_plain: OrderCodec, loose: LooseCodec, secret: SecretCodec } as const;
type Sample = keyof typeof CODECS;

const samples = JSON.parse(runPython(["pydantic_samples.py", "samples"])) as Record<Sample, string[]>;
const kept = (v: object) => (v as { [PYDANTIC_STATE]?: PydanticState })[PYDANTIC_STATE];

test("every sample loads at protocols 0–5 into typed instances, fields_set, extras and private attributes kept", () => {
  for (const protocol of [0, 1, 2, 3, 4, 5]) {
    const item = loadsTyped(ItemCodec, fromHex(samples.item_defaults[protocol]!));
    assert.ok(item instanceof Item);
    assert.equal({ ...item }, { name: "nut", qty: 1, tags: [] });
    assert.equal(kept(item)!.fieldsSet, new Set(["name"]), "only name was set explicitly");
    const order = loadsTyped(OrderCodec, fromHex(samples.order_shared[protocol]!));
    assert.is(order.items[0], order.items[1], "one Item twice stays one object");
    assert.equal(order.items[0]!.tags, ["m4", "steel"]);
    assert.is(order.note, "twice");
    const loose = loadsTyped(LooseCodec, fromHex(samples.loose[protocol]!));
    assert.equal(
      kept(loose)!.extra,
      new Map<PyValue, PyValue>([
        ["color", "red"],
        ["size", 3n],
      ]),
    );
    const secret = loadsTyped(SecretCodec, fromHex(samples.secret[protocol]!));
    assert.equal(kept(secret)!.private, new Map<PyValue, PyValue>([["_token", "t0k3n"]]));
  }
});

test("written back: CPython's bytes at protocols 2–5, and an equal model (fields_set, extra, private) at every protocol", () => {
  const cases: { name: Sample; protocol: number; hex: string }[] = [];
  for (const name of Object.keys(CODECS) as Sample[]) {
    const codec = CODECS[name] as typeof ItemCodec;
    samples[name].forEach((hex, protocol) => {
      const back = dumpsTyped(codec, loadsTyped(codec, fromHex(hex)), { protocol });
      if (protocol >= 2) assert.is(toHex(back), hex, `${name} at protocol ${protocol}`);
      cases.push({ name, protocol, hex: toHex(back) });
    });
  }
  const same = runPythonJsonLines<boolean>(["pydantic_samples.py", "compare"], cases.map((c) => JSON.stringify(c)).join("\n"));
  assert.equal(same.length, cases.length);
  for (const [i, ok] of same.entries()) assert.ok(ok, `${cases[i]!.name} at protocol ${cases[i]!.protocol}`);
});

test("a model made in TypeScript: every field set explicitly, no extras, no private attributes", () => {
  const bolt = Object.assign(new Item(), { name: "bolt", qty: 2, tags: ["x"] });
  const order = Object.assign(new Order(), { id: 9, items: [bolt, bolt], note: null });
  const made = [2, 5].map((protocol) => toHex(dumpsTyped(OrderCodec, order, { protocol })));
  const seen = runPythonJsonLines<{ type: string; dump: unknown; fields_set: string[]; valid: boolean }>(["pydantic_samples.py", "made"], made.join("\n"));
  for (const s of seen) {
    assert.is(s.type, "Order");
    assert.equal(s.dump, {
      id: 9,
      items: [
        { name: "bolt", qty: 2, tags: ["x"] },
        { name: "bolt", qty: 2, tags: ["x"] },
      ],
      note: null,
    });
    assert.equal(s.fields_set, ["id", "items", "note"]);
    assert.ok(s.valid, "pydantic validates what it loaded");
  }
});

test("a schema declaring another form names 'pydantic'; strict refuses an unknown attribute in __dict__", () => {
  const asDict = classCodec(Item, { module: "myapp.accounts", qualname: "Item", state: "dict", fields: { name: T.str, qty: T.int, tags: T.list(T.str) } });
  const e = refusal(() => loadsTyped(asDict, fromHex(samples.item_set[4]!)), UnpicklingError);
  assert.match(e.message, /the pickle's state \(BUILD\) is a pydantic model's .*; declare @pyclass\(…, \{ state: "pydantic" \}\)/);
  const NameOnly = classCodec(Item, { module: "myapp.accounts", qualname: "Item", state: "pydantic", fields: { name: T.str } });
  const loaded = loadsTyped(NameOnly, fromHex(samples.item_set[4]!));
  assert.equal(toHex(dumpsTyped(NameOnly, loaded, { protocol: 4 })), samples.item_set[4], "unknown attributes are kept and written back in place");
  assert.match(refusal(() => loadsTyped(NameOnly, fromHex(samples.item_set[4]!), { strict: true }), UnpicklingError).message, /Item: unknown attribute 'qty' \(strict\)/);
});

test.run();
