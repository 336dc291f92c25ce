// The names a GLOBAL opcode (protocols 0–3) writes, and the refusals that keep them honest.
//
// GLOBAL is two text lines, `module\nname\n`, that CPython reads back with readline() and decodes
// as strict UTF-8 (Modules/_pickle.c load_global, Lib/pickle.py load_global). A name is written
// only when CPython will import exactly the global we mean:
// - a newline would end the line early and the rest would run as opcodes (a protocol-4 name, inert
//   in STACK_GLOBAL, would become code); other control characters (CR, NUL, …) are in no importable
//   name and are refused with it, so no line-ending translation can change what is read;
// - an empty line is refused by the reader (bad_readline), a lone surrogate cannot be strict UTF-8;
// - below protocol 3, CPython's reader applies fix_imports (Python 2 → 3 renames, IMPORT_MAPPING /
//   NAME_MAPPING) to whatever it reads, whatever the writer did: `__builtin__ eval`, written as is,
//   is read as builtins.eval. So the written pair, mapped as the reader maps it, must give back the
//   global we started from — or another name of the very same object, where CPython's own rename
//   says so (READ_BACK_ALIASES, checked object by object when the table was generated). A rename
//   that changes the object (builtins.ConnectionError → `exceptions OSError` → builtins.OSError)
//   is refused. At protocol 3 the reader maps nothing (`self.proto < 3` in find_class).
import { IMPORT_MAPPING, NAME_MAPPING, READ_BACK_ALIASES, REVERSE_IMPORT_MAPPING, REVERSE_NAME_MAPPING } from "../compat-names.ts";
import { strRepr } from "../format/str-repr.ts";
import { hasLoneSurrogate } from "../utf8.ts";

/** The module and name lines to write, or why they cannot be written. */
export type GlobalLines = { readonly module: string; readonly name: string } | { readonly refused: string };

const CONTROL = /[\u0000-\u001f\u007f]/;
const NON_ASCII = /[^\u0000-\u007f]/;

/** What CPython's find_class imports for a GLOBAL read at `protocol` (fix_imports on, its default). */
export function globalAsRead(module: string, name: string, protocol: number): readonly [string, string] {
  if (protocol >= 3) return [module, name];
  return NAME_MAPPING.get(`${module} ${name}`) ?? [IMPORT_MAPPING.get(module) ?? module, name];
}

/**
 * The GLOBAL lines for `module.name` at protocol 0–3: CPython's own Python 2 renames when
 * `fixImports` (save_global's fix_imports), then every check above.
 */
export function globalLines(module: string, name: string, protocol: number, fixImports: boolean): GlobalLines {
  let [m, n] = [module, name];
  if (protocol < 3 && fixImports) {
    const renamed = REVERSE_NAME_MAPPING.get(`${m} ${n}`);
    if (renamed) [m, n] = renamed;
    else m = REVERSE_IMPORT_MAPPING.get(m) ?? m;
  }
  for (const [what, text] of [
    ["module", m],
    ["global", n],
  ] as const) {
    if (text.length === 0) return { refused: `an empty ${what} name cannot be written as GLOBAL (CPython refuses an empty line)` };
    const control = CONTROL.exec(text);
    if (control) {
      const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
      return { refused: `the ${what} name ${strRepr(text)} holds U+${code}, which a GLOBAL line at protocol ${protocol} cannot carry (use protocol 4 or higher)` };
    }
    if (hasLoneSurrogate(text))
      return { refused: `the ${what} name ${strRepr(text)} holds a lone surrogate, which a GLOBAL line cannot carry as UTF-8 (use protocol 4 or higher)` };
    // CPython's own message (save_global encodes names as ASCII below protocol 3).
    if (protocol < 3 && NON_ASCII.test(text)) return { refused: `can't pickle ${what} identifier ${strRepr(text)} using pickle protocol ${protocol}` };
  }
  const [readModule, readName] = globalAsRead(m, n, protocol);
  if ((readModule !== module || readName !== name) && !READ_BACK_ALIASES.has(`${module} ${name}`)) {
    return {
      refused:
        `${module}.${name} cannot be written at protocol ${protocol}: CPython reads GLOBAL '${m} ${n}' back as ` +
        `${readModule}.${readName} (fix_imports), a different global; use protocol 3 or higher`,
    };
  }
  return { module: m, name: n };
}
