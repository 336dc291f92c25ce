// How generated modules spell their relative imports (the schema file, other generated modules):
// `.js` by default — NodeNext, Node16 and Bundler resolution all accept it, and it still names the
// file after tsc — or `.ts` / none when asked. The runtime import stays the package name.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type ImportExtension, emitModule, outputPath } from "../../generator/emit/emit-module.ts";
import type { SchemaFileModel } from "../../generator/schema/model.ts";

// schemas/shop/order.ts has an Order whose field is a Customer from schemas/people.ts.
const order: SchemaFileModel = {
  path: "schemas/shop/order.ts",
  absolutePath: "/project/schemas/shop/order.ts",
  classes: [
    {
      name: "Order",
      module: "shop",
      qualname: "Order",
      state: "dict",
      fields: [{ tsName: "buyer", pyName: "buyer", type: { kind: "class", name: "Customer", file: "schemas/people.ts" }, optional: false }],
      transients: [],
    },
  ],
  enums: [],
  imports: new Set(),
};
const outputOf = (schemaPath: string) => outputPath(schemaPath, "schemas", "generated");

/** The module specifiers of a generated module's import declarations, in order. */
const specifiers = (text: string) => [...text.matchAll(/^import [^;]*? from "([^"]+)";$/gms)].map((m) => m[1]);

const test = suite("import extension");

test("default: .js, so the compiled JavaScript imports files that exist", () => {
  assert.equal(specifiers(emitModule(order, outputOf)), ["typed-pickle", "../../schemas/shop/order.js", "../people.js"]);
});

test("ts and none", () => {
  const emit = (importExtension: ImportExtension) => specifiers(emitModule(order, outputOf, { importExtension }));
  assert.equal(emit("js"), ["typed-pickle", "../../schemas/shop/order.js", "../people.js"]);
  assert.equal(emit("ts"), ["typed-pickle", "../../schemas/shop/order.ts", "../people.ts"]);
  assert.equal(emit("none"), ["typed-pickle", "../../schemas/shop/order", "../people"]);
});

test("an unknown extension is refused by name", () => {
  assert.throws(
    () => emitModule(order, outputOf, { importExtension: "mjs" as ImportExtension }),
    (e: unknown) => e instanceof TypeError && /"js", "ts" or "none", not "mjs"/.test(e.message),
  );
});

test.run();
