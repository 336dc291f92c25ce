// `typed-pickle check --python`'s work as a function: the schemas against the Python classes they name.
// Schema errors (TP1xx) stop it first. Then one Python process describes every class (python-query.ts),
// each class and enum is compared (compare.ts), and pickles of classes built from their defaults are
// loaded through the generated codecs (defaults-round-trip.ts) where nothing else drifted already.
// TypeScript's own errors in the schemas are generate's to report (generate --check runs beside this).
import { type Diagnostic, at } from "../diagnostics.ts";
import { compareClass, compareEnum, type Report } from "./compare.ts";
import { type RoundTrip, loadDefaultPickles } from "./defaults-round-trip.ts";
import { type PythonClass, queryPython } from "./python-query.ts";
import { type PlacedClass, type PlacedEnum, readPlacedSchemas } from "./schema-places.ts";

export interface CheckPythonOptions {
  /** The project directory: tsconfig.json is read there, and it is on Python's sys.path. */
  root: string;
  /** The schemas directory, relative to root or absolute. */
  schemas: string;
  /** The interpreter that imports the modules (a venv's python for a project that has one). */
  python: string;
  /** Extra sys.path entries, relative to root or absolute. */
  path?: readonly string[];
}

export interface CheckPythonResult {
  /** Schema errors (`schemaErrors`), else drift; all of them, in file order. */
  diagnostics: Diagnostic[];
  schemaErrors: boolean;
  schemaFiles: number;
  classes: number;
  enums: number;
  /** Classes whose default instance Python pickled and the generated codec loaded (each at every protocol). */
  roundTrips: number;
  /** What Python warned about while describing (unresolved type hints). */
  warnings: string[];
}

const byPlace = (a: Diagnostic, b: Diagnostic) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;

export function checkPython({ root, schemas, python, path = [] }: CheckPythonOptions): CheckPythonResult {
  const placed = readPlacedSchemas(root, schemas);
  const counts = { schemaFiles: placed.schemaFiles, classes: placed.classes.length, enums: placed.enums.length };
  if (placed.diagnostics.length > 0) return { diagnostics: placed.diagnostics, schemaErrors: true, roundTrips: 0, warnings: [], ...counts };

  const named: (PlacedClass | PlacedEnum)[] = [...placed.enums, ...placed.classes];
  const key = (module: string, qualname: string) => `${module}\0${qualname}`;
  const wanted = [...new Map(named.map((p) => [key(p.model.module, p.model.qualname), { module: p.model.module, qualname: p.model.qualname }])).values()];
  const side = queryPython(wanted, { python, path, cwd: root });
  const pythonOf = new Map<string, PythonClass>(side.classes.map((c) => [key(c.module, c.qualname), c]));
  const pythonNames = new Map(named.map((p) => [`${p.file}\0${p.model.name}`, `${p.model.module}.${p.model.qualname}`]));
  const pythonNameOf = (t: { name: string; file: string }) => pythonNames.get(`${t.file}\0${t.name}`);

  const diagnostics: Diagnostic[] = [];
  let drifted = false;
  const report: Report = (node, code, message) => {
    drifted = true;
    diagnostics.push(at(node, code, message, root));
  };
  const unimportable = new Set<string>();
  const trips: RoundTrip[] = [];
  for (const p of named) {
    const { module, qualname } = p.model;
    const error = Object.hasOwn(side.moduleErrors, module) ? side.moduleErrors[module] : undefined;
    if (error !== undefined) {
      if (!unimportable.has(module)) report(p.node, "TP209", `module ${module} cannot be imported by ${python}: ${String(error)}`);
      unimportable.add(module);
      continue;
    }
    const py = pythonOf.get(key(module, qualname));
    if (!py) throw new Error(`drift.py said nothing about ${module}.${qualname}`);
    drifted = false;
    if ("fields" in p) compareClass(p, py, pythonNameOf, report);
    else compareEnum(p, py, report);
    // The round trip checks what the comparison cannot see; a class that drifted already would only fail it again.
    if ("fields" in p && !drifted && py.pickles) trips.push({ module, qualname, name: p.model.name, file: p.file, pickles: py.pickles });
  }

  let roundTrips = 0;
  if (trips.length > 0) {
    const failures = loadDefaultPickles(root, placed.files, trips);
    const placeOf = new Map(placed.classes.map((c) => [`${c.file}\0${c.model.name}`, c]));
    // One diagnostic per class and error: the same failure at every protocol is said once.
    const byError = new Map<string, { trip: RoundTrip; error: string; protocols: string[] }>();
    for (const f of failures) {
      const k = `${f.trip.file}\0${f.trip.name}\0${f.error}`;
      if (!byError.has(k)) byError.set(k, { trip: f.trip, error: f.error, protocols: [] });
      byError.get(k)!.protocols.push(f.protocol);
    }
    for (const { trip, error, protocols } of byError.values()) {
      const where = placeOf.get(`${trip.file}\0${trip.name}`)!;
      const at = `protocol${protocols.length > 1 ? "s" : ""} ${protocols.join(" and ")}`;
      report(where.node, "TP212", `${trip.module}.${trip.qualname}() (built from its defaults) pickled at ${at} does not load through ${trip.name}'s codec: ${error}`);
    }
    const failed = new Set(failures.map((f) => f.trip));
    roundTrips = trips.length - failed.size;
  }
  return { diagnostics: diagnostics.sort(byPlace), schemaErrors: false, roundTrips, warnings: side.warnings, ...counts };
}
