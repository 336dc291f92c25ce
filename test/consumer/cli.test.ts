// The installed package's command, run with npx from a user's project: the compiled bin (not the
// repository's tsx launcher) shows, lists and scans a pickle CPython wrote.
import { mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { once, pythonOrders, run, shopProject } from "../support/consumer.ts";
import { runPython } from "../support/python.ts";

const test = suite("consumer: npx typed-pickle show/dis/scan with the installed package");

const pythonPickle = once(() => join(pythonOrders("cli"), "py-4.pkl"));

test("the bin is the compiled dist/generator/cli/main.js, and tsx is not installed with the package", () => {
  const { dir } = shopProject();
  const bin = realpathSync(join(dir, "node_modules", ".bin", "typed-pickle"));
  assert.is(bin, realpathSync(join(dir, "node_modules", "typed-pickle", "dist", "generator", "cli", "main.js")));
  const tree = run("npm", ["ls", "--all", "--parseable", "--omit=dev"], dir).stdout;
  assert.not.match(tree, /node_modules\/tsx$/m, "tsx came with typed-pickle: it must be a devDependency only");
});

test("show prints the order as Python's repr would", () => {
  const { stdout } = run("npx", ["typed-pickle", "show", pythonPickle()], shopProject().dir);
  assert.match(stdout, /^shop\.models\.Order\(number=1042, customer=shop\.models\.Customer\(name='Ann Lee', email=None\)/);
  assert.match(stdout, /Decimal\('19\.99'\)/);
  assert.match(stdout, /datetime\.datetime\(2024, 5, 17, 9, 30, 15, 123456, tzinfo=datetime\.timezone\.utc\)/);
});

test("dis prints python3 -m pickletools's listing", () => {
  const pickle = pythonPickle();
  const ours = run("npx", ["typed-pickle", "dis", pickle], shopProject().dir).stdout;
  assert.fixture(ours, runPython(["-m", "pickletools", pickle]));
});

test("scan names the globals the pickle would import", () => {
  // Exit 1: shop.models is not the standard library.
  const { stdout } = run("npx", ["typed-pickle", "scan", pythonPickle()], shopProject().dir, { status: 1 });
  for (const name of ["shop.models.Order", "shop.models.Customer", "shop.models.Line", "shop.models.Status", "decimal.Decimal"]) {
    assert.match(stdout, name);
  }
});

test("import-python drafts a schema and check --python finds it matching, with the Python scripts the package ships", () => {
  const { dir } = shopProject();
  const work = join(dir, "python-side");
  mkdirSync(join(work, "schemas"), { recursive: true });
  writeFileSync(
    join(work, "inventory.py"),
    ["import dataclasses", "", "@dataclasses.dataclass", "class Item:", '    sku: str = ""', "    count: int = 0", "    price: float = 0.0", ""].join("\n"),
  );
  run("npx", ["typed-pickle", "import-python", "inventory", "--out", "schemas/inventory.ts"], work);
  const drafted = run("npx", ["typed-pickle", "check", "--python", "--schemas", "schemas"], work);
  assert.match(drafted.stderr, /no drift/);
  // The same command sees a change on the Python side.
  writeFileSync(
    join(work, "inventory.py"),
    ["import dataclasses", "", "@dataclasses.dataclass", "class Item:", '    sku: str = ""', "    count: float = 0.0", "    price: float = 0.0", ""].join("\n"),
  );
  const drifted = run("npx", ["typed-pickle", "check", "--python", "--schemas", "schemas"], work, { status: 1 });
  assert.match(drifted.stdout + drifted.stderr, /TP201/);
});

test.run();
