// GLOBAL at protocols 0–3 is two text lines that CPython reads back through fix_imports: the writer
// refuses every name that CPython would read as anything but the global meant, so converting a
// harmless pickle to an old protocol cannot turn it into one that imports something else.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { IMPORT_MAPPING, NAME_MAPPING, READ_BACK_ALIASES, REVERSE_IMPORT_MAPPING, REVERSE_NAME_MAPPING } from "../../runtime/compat-names.ts";
import { PicklingError, PyGlobal, dumps, loads } from "../../runtime/index.ts";
import { cli } from "../support/cli.ts";
import { runPython, toHex } from "../support/python.ts";

const test = suite("GLOBAL names at protocols 0–3");

/**
 * For each hex pickle, what CPython's C unpickler imports for its global, with its default
 * fix_imports: `__import__` is replaced by one that records the module and hands back a module whose
 * every attribute is the string "module:name", so nothing is really imported or run.
 */
const IMPORTED_BY_CPYTHON = `
import builtins, pickle, sys, types
real_import = builtins.__import__
saved = dict(sys.modules)
class Marker(types.ModuleType):
    def __getattr__(self, attr):
        return self.__name__ + ":" + attr
def fake_import(name, *args, **kwargs):
    sys.modules[name] = Marker(name)
    return sys.modules[name]
for line in sys.stdin:
    data = bytes.fromhex(line.strip())
    builtins.__import__ = fake_import
    try:
        got = pickle.loads(data)
        out = got if isinstance(got, str) else "not a marker: " + repr(got)
    except BaseException as e:
        out = "error: " + type(e).__name__
    finally:
        builtins.__import__ = real_import
        sys.modules.clear()
        sys.modules.update(saved)
    print(out.encode("unicode_escape").decode("ascii"))
`;

function importedByCPython(pickles: Uint8Array[]): string[] {
  return runPython(["-c", IMPORTED_BY_CPYTHON], pickles.map(toHex).join("\n") + "\n")
    .split("\n")
    .slice(0, pickles.length);
}

function refusal(g: PyGlobal, protocol: number, fixImports = true): PicklingError | undefined {
  try {
    dumps(g, { protocol, fixImports });
    return undefined;
  } catch (e) {
    assert.instance(e, PicklingError);
    return e as PicklingError;
  }
}

const INJECTION = "os\nsystem\n(S'echo INJECTED'\ntR.";

test("a module name with a newline is refused at every text protocol (it would inject opcodes)", () => {
  // The inert protocol-4 pickle: STACK_GLOBAL of that module string (CPython: ModuleNotFoundError).
  const harmless = dumps(new PyGlobal(INJECTION, "x"), { protocol: 4 });
  // CPython would import a module of that whole name (none exists), nothing else.
  assert.is(importedByCPython([harmless])[0], "os\\nsystem\\n(S'echo INJECTED'\\ntR.:x");
  const value = loads(harmless, { mode: "opaque" });
  for (const protocol of [0, 1, 2, 3]) {
    for (const fixImports of [true, false]) {
      const e = refusal(value as PyGlobal, protocol, fixImports);
      assert.ok(e, `written at protocol ${protocol}`);
      assert.match(e!.message, /holds U\+000A, which a GLOBAL line at protocol \d cannot carry/);
    }
  }
  assert.ok(refusal(new PyGlobal("os", "system\nx"), 2), "a newline in the name");
});

test("convert to protocol 2 refuses the injected name and writes no output", () => {
  const dir = mkdtempSync(join(tmpdir(), "typed-pickle-global-"));
  const input = join(dir, "in.pkl");
  const output = join(dir, "out.pkl");
  writeFileSync(input, dumps(new PyGlobal(INJECTION, "x"), { protocol: 4 }));
  const r = cli(["convert", input, output, "--protocol", "2"]);
  assert.is.not(r.status, 0, r.stdout);
  assert.match(r.stderr, /cannot carry/);
  assert.not.ok(existsSync(output) && readFileSync(output).length > 0, "an output was written");
});

test("other characters no GLOBAL line can carry: CR, NUL, other controls, lone surrogates, empty names", () => {
  const names: [string, string][] = [
    ["os\r", "system"],
    ["os", "sys\u0000tem"],
    ["a\u001b[31m", "b"],
    ["a", "b\u007f"],
    ["mod\ud800", "x"],
    ["mod", "\udc00"],
    ["", "x"],
    ["mod", ""],
  ];
  for (const [module, name] of names) {
    for (const protocol of [0, 1, 2, 3]) assert.ok(refusal(new PyGlobal(module, name), protocol), `${JSON.stringify([module, name])} at protocol ${protocol}`);
    assert.not.ok(refusal(new PyGlobal(module, name), 4), "protocol 4 writes any name (STACK_GLOBAL strings)");
  }
});

test("__builtin__.eval is refused at protocols 0–2 (fix_imports would read builtins.eval) and inert at 3", () => {
  const g = new PyGlobal("__builtin__", "eval");
  for (const protocol of [0, 1, 2]) {
    for (const fixImports of [true, false]) {
      const e = refusal(g, protocol, fixImports);
      assert.ok(e, `written at protocol ${protocol}`);
      assert.match(e!.message, /CPython reads GLOBAL '__builtin__ eval' back as builtins\.eval \(fix_imports\), a different global/);
    }
  }
  // At protocol 3 CPython imports the module __builtin__ (there is none in Python 3), so it stays inert.
  const [atProtocol3] = importedByCPython([dumps(g, { protocol: 3 })]);
  assert.is(atProtocol3, "__builtin__:eval");
  assert.match(runPython(["-c", "try:\n    import __builtin__\nexcept ImportError as e:\n    print(type(e).__name__)"]), /ModuleNotFoundError/);
});

/** Every name the compatibility tables mention, as a Python 2 name and as a Python 3 one. */
function candidates(): PyGlobal[] {
  const out: PyGlobal[] = [];
  for (const key of [...NAME_MAPPING.keys(), ...REVERSE_NAME_MAPPING.keys()]) {
    const [module, name] = key.split(" ") as [string, string];
    out.push(new PyGlobal(module, name));
  }
  for (const [m2, m3] of IMPORT_MAPPING) out.push(new PyGlobal(m2, "thing"), new PyGlobal(m3, "thing"));
  for (const [m3, m2] of REVERSE_IMPORT_MAPPING) out.push(new PyGlobal(m3, "thing"), new PyGlobal(m2, "thing"));
  for (const [m3, n3] of NAME_MAPPING.values()) out.push(new PyGlobal(m3, n3));
  for (const alias of READ_BACK_ALIASES) out.push(new PyGlobal(...(alias.split(" ") as [string, string])));
  out.push(new PyGlobal("builtins", "eval"), new PyGlobal("copy_reg", "_reconstructor"), new PyGlobal("myapp.models", "User"));
  // An accelerator module's name that its Python module does not re-export identically: bz2's
  // _builtin_open is builtins.open, so `bz2 _builtin_open` must never stand for _bz2._builtin_open.
  out.push(new PyGlobal("_bz2", "_builtin_open"), new PyGlobal("_pickle", "sys"));
  return out;
}

test("whatever is written at protocols 0–3 is read by CPython as exactly the global meant", () => {
  const written: { g: PyGlobal; protocol: number; fixImports: boolean; data: Uint8Array }[] = [];
  let refused = 0;
  for (const g of candidates()) {
    for (const protocol of [0, 1, 2, 3]) {
      for (const fixImports of [true, false]) {
        try {
          written.push({ g, protocol, fixImports, data: dumps(g, { protocol, fixImports }) });
        } catch (e) {
          assert.instance(e, PicklingError);
          refused++;
        }
      }
    }
  }
  const imported = importedByCPython(written.map((w) => w.data));
  // Exactly the global meant, or (READ_BACK_ALIASES) another name of the same object, per CPython's tables.
  const wrong = written.flatMap((w, i) =>
    imported[i] === `${w.g.module}:${w.g.name}` || READ_BACK_ALIASES.has(`${w.g.module} ${w.g.name}`)
      ? []
      : [`${w.g.qualifiedName} at ${w.protocol} (fixImports ${w.fixImports}): CPython imports ${imported[i]}`],
  );
  assert.equal(wrong, [], wrong.slice(0, 10).join("\n"));
  assert.ok(refused > 0 && written.length > 1000, `${written.length} written, ${refused} refused`);
});

test("legitimate names keep CPython's exact bytes at every text protocol", () => {
  // The objects themselves, as CPython pickles them (its module is the object's own: functools.reduce is _functools's).
  const objects =
    "set frozenset range int str bytes functools.reduce copyreg._reconstructor collections.OrderedDict collections.UserDict datetime.datetime socket.fromfd dbm.whichdb http.server.HTTPServer";
  const python = `import pickle, functools, copyreg, collections, datetime, socket, dbm, http.server
for p in range(4):
    for obj in [${objects.split(" ").join(", ")}]:
        print(pickle.whichmodule(obj, obj.__qualname__), obj.__qualname__, pickle.dumps(obj, p).hex())`;
  const lines = runPython(["-c", python]).trim().split("\n");
  assert.is(lines.length, 4 * objects.split(" ").length);
  lines.forEach((line, i) => {
    const [module, name, hex] = line.split(" ") as [string, string, string];
    assert.is(toHex(dumps(new PyGlobal(module, name), { protocol: Math.floor(i / objects.split(" ").length) })), hex, line);
  });
});

test("a Python 3 global that CPython itself writes lossily at protocol 2 is refused, with the reason", () => {
  // CPython writes builtins.ConnectionError as `exceptions OSError`, read back as builtins.OSError.
  const e = refusal(new PyGlobal("builtins", "ConnectionError"), 2);
  assert.ok(e);
  assert.match(e!.message, /CPython reads GLOBAL 'exceptions OSError' back as builtins\.OSError/);
  assert.not.ok(refusal(new PyGlobal("builtins", "ConnectionError"), 3));
  // bz2._builtin_open is builtins.open: `bz2 _builtin_open` must never stand for _bz2._builtin_open.
  assert.match(refusal(new PyGlobal("_bz2", "_builtin_open"), 2)?.message ?? "", /back as bz2\._builtin_open/);
});

test("protocol 0 refuses a persistent id with a newline (the PERSID line would end there)", () => {
  assert.throws(
    () => dumps(["x"], { protocol: 0, persistentId: (v) => (v === "x" ? "id\ncos\nsystem\n" : undefined) }),
    (e: unknown) => e instanceof PicklingError && /cannot hold a newline/.test((e as Error).message),
  );
  assert.is(toHex(dumps(["x"], { protocol: 0, persistentId: (v) => (v === "x" ? "id 1" : undefined) })).includes(toHex(Buffer.from("Pid 1\n"))), true);
});

test.run();
