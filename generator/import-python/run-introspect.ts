// Runs python/introspect.py under the user's interpreter and reads the JSON it prints. Importing the
// user's modules runs their code (that is how Python classes are described); everything it prints is
// data, checked for shape here before anything else reads it.
import { spawnSync } from "node:child_process";
import { delimiter, resolve } from "node:path";
import { pythonScript } from "../python-script.ts";

/** A Python annotation as introspect.py describes it. */
export type PyType =
  | { k: "int" | "float" | "str" | "bytes" | "bytearray" | "bool" | "datetime" | "date" | "time" | "timedelta" | "Decimal" | "UUID" }
  | { k: "list" | "set" | "frozenset"; item: PyType }
  | { k: "map"; key: PyType; value: PyType }
  | { k: "tuple"; items: PyType[] }
  | { k: "nullable"; inner: PyType }
  | { k: "ref"; module: string; qualname: string }
  | { k: "any"; what: string };

export interface PyField {
  name: string;
  type: PyType;
  default?: { value: string | number | boolean | null } | { emptyList: true };
  /** Why a default could not be written as a literal. */
  note?: string;
}

export interface PyClassInfo {
  module: string;
  qualname: string;
  kind: "enum" | "pydantic" | "attrs" | "dataclass" | "namedtuple" | "plain";
  comments: string[];
  state?: "dict" | "slots" | "args" | "pydantic";
  fields?: PyField[];
  members?: { name: string; value: string | number }[];
  /** The custom pickling methods the class defines (__getstate__, __setstate__, __reduce__…). */
  getstate?: string[];
}

export interface Introspection {
  classes: PyClassInfo[];
  warnings: string[];
}

export interface RunOptions {
  python: string;
  /** Extra sys.path entries (before the current directory). */
  path: readonly string[];
  cwd: string;
}

/** Imports `specs` (`module[:Class,…]`) in Python and returns its description; throws with Python's error. */
export function introspect(specs: readonly string[], { python, path, cwd }: RunOptions): Introspection {
  const pythonPath = [...path.map((p) => resolve(cwd, p)), cwd, ...(process.env.PYTHONPATH ? [process.env.PYTHONPATH] : [])].join(delimiter);
  const run = spawnSync(python, [pythonScript("introspect.py"), ...specs], { cwd, encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, PYTHONPATH: pythonPath } });
  if (run.error) throw new Error(`cannot run ${python}: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`${python} could not describe ${specs.join(" ")}:\n${run.stderr.trim()}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    throw new Error(`${python} printed something that is not introspect.py's JSON (a module that prints on import?)`);
  }
  const doc = parsed as Introspection;
  if (typeof doc !== "object" || doc === null || !Array.isArray(doc.classes) || !Array.isArray(doc.warnings)) throw new Error("introspect.py's output has an unexpected shape");
  return doc;
}
