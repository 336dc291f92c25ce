// The Python side of check --python: one python3 process (python/drift.py) for every class the schemas
// name. It imports each module once (running its code), describes each class as import-python does
// (python/introspect.py), and pickles a default instance where the class can be built from its
// defaults. Everything it prints is data, checked for shape here before anything else reads it.
import { spawnSync } from "node:child_process";
import { delimiter, resolve } from "node:path";
import type { PyClassInfo, PyField } from "../import-python/run-introspect.ts";
import { pythonScript } from "../python-script.ts";

/** A field as drift.py adds to introspect.py's: whether Python needs a value, and the annotation as Python shows it. */
export interface CheckedField extends PyField {
  required?: boolean;
  annotation?: string;
}

export interface PythonClass {
  module: string;
  qualname: string;
  /** The module has the name. */
  found: boolean;
  /** It is a class introspect.py can describe (else `what` says what it is). */
  describable?: boolean;
  what?: string;
  info?: PyClassInfo & { fields?: CheckedField[] };
  /** The state form a default instance really pickles with (`cls()`'s `__reduce_ex__(2)`). */
  observedState?: string;
  /** That instance pickled, by protocol, as hex. */
  pickles?: Record<string, string>;
  /** Why no instance could be built or pickled (the class then has no round trip). */
  noInstance?: string;
}

export interface PythonSide {
  /** Modules that could not be imported, with Python's error. */
  moduleErrors: Record<string, string>;
  classes: PythonClass[];
  warnings: string[];
}

export interface QueryOptions {
  python: string;
  /** Extra sys.path entries (before the project directory), as import-python's --path. */
  path: readonly string[];
  cwd: string;
}

/** Asks Python about `wanted` (module, qualname pairs), all in one process; throws when Python itself cannot run. */
export function queryPython(wanted: readonly { module: string; qualname: string }[], { python, path, cwd }: QueryOptions): PythonSide {
  // The project directory is on sys.path, as it is for `python -m` run there.
  const pythonPath = [...path.map((p) => resolve(cwd, p)), resolve(cwd), ...(process.env.PYTHONPATH ? [process.env.PYTHONPATH] : [])].join(delimiter);
  const run = spawnSync(python, [pythonScript("drift.py")], {
    cwd,
    input: JSON.stringify({ classes: wanted }),
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env: { ...process.env, PYTHONPATH: pythonPath },
  });
  if (run.error) throw new Error(`cannot run ${python}: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`${python} python/drift.py failed:\n${run.stderr.trim()}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    throw new Error(`${python} printed something that is not drift.py's JSON (a module that writes to stdout's file descriptor on import?)`);
  }
  const doc = parsed as PythonSide;
  if (typeof doc !== "object" || doc === null || typeof doc.moduleErrors !== "object" || doc.moduleErrors === null || !Array.isArray(doc.classes))
    throw new Error("drift.py's output has an unexpected shape");
  return { moduleErrors: doc.moduleErrors, classes: doc.classes, warnings: Array.isArray(doc.warnings) ? doc.warnings.map(String) : [] };
}
