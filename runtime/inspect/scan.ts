// A security report on a pickle, like picklescan or fickling but sound: every opcode is walked with
// a symbolic stack and memo, so a global assembled by STACK_GLOBAL from memoised strings is seen
// like any other, and a global whose name is not a literal is itself a finding. Nothing is built.
import { GenopsError, OpWalker } from "./genops.ts";
import { IMPORT_MAPPING, NAME_MAPPING } from "../compat-names.ts";
import { STANDARD_GLOBALS } from "../reader/standard-globals.ts";
import { NUMPY_GLOBALS } from "../numpy/read-globals.ts";
import { shownName } from "../format/str-repr.ts";

export type Verdict = "safe-stdlib" | "unknown" | "dangerous";

export interface Finding {
  /** Offset of the opcode that imports (GLOBAL, STACK_GLOBAL, INST, EXT*) or calls it. */
  offset: number;
  opcode: string;
  /** `module.qualname` as CPython imports it, or a description when the name is not a literal. */
  name: string;
  /** The name as the pickle spells it, when CPython imports another (fix_imports: `__builtin__.set`). */
  pickled?: string;
  verdict: Verdict;
  /** Why, in a few words. */
  reason: string;
}

export interface ScanReport {
  findings: Finding[];
  /** Set when the pickle could not be walked to its STOP. */
  error?: { message: string; offset: number };
  /** Offset after the STOP (where a following pickle starts), or where walking stopped. */
  end: number;
}

const DANGEROUS_MODULES = new Set([
  "os",
  "posix",
  "nt",
  "posixpath",
  "ntpath",
  "subprocess",
  "sys",
  "shutil",
  "socket",
  "pty",
  "commands",
  "popen2",
  "platform",
  "importlib",
  "runpy",
  "code",
  "codeop",
  "ctypes",
  "marshal",
  "pickle",
  "_pickle",
  "cPickle",
  "dill",
  "webbrowser",
  "multiprocessing",
  "threading",
  "_thread",
  "signal",
  "tempfile",
  "glob",
  "pathlib",
  "io",
  "_io",
  "urllib",
  "http",
  "ftplib",
  "smtplib",
  "telnetlib",
  "requests",
  "asyncio",
  "pdb",
  "bdb",
  "timeit",
  "trace",
  "profile",
  "cProfile",
  "pip",
  "setuptools",
  "distutils",
  "builtins.__import__",
  "sysconfig",
  "zipimport",
  "torch.hub",
  "site",
  "venv",
  "shelve",
  "dbm",
  "sqlite3",
  "gc",
  "inspect",
  "types",
  "operator",
  "functools.reduce",
]);

const DANGEROUS_BUILTINS = new Set([
  "eval",
  "exec",
  "compile",
  "getattr",
  "setattr",
  "delattr",
  "__import__",
  "open",
  "execfile",
  "input",
  "globals",
  "locals",
  "vars",
  "breakpoint",
  "help",
  "exit",
  "quit",
  "memoryview",
  "type",
  "super",
  "object.__reduce__",
  "apply",
  "file",
  "reload",
  "__loader__",
  "__build_class__",
  "classmethod",
  "staticmethod",
  "property",
]);

/** Standard-library names that only build data. */
const SAFE_STDLIB = new Set([
  ...STANDARD_GLOBALS.keys(),
  "builtins.slice",
  "builtins.range",
  "builtins.int",
  "builtins.float",
  "builtins.str",
  "builtins.list",
  "builtins.dict",
  "builtins.tuple",
  "builtins.bool",
  "builtins.Ellipsis",
  "builtins.NotImplemented",
  "collections.defaultdict",
  "collections.deque",
  "collections.Counter",
  "collections.namedtuple",
  "array.array",
  "array._array_reconstructor",
  "fractions.Fraction",
  "ipaddress.IPv4Address",
  "ipaddress.IPv6Address",
  "ipaddress.IPv4Network",
  "ipaddress.IPv6Network",
  "uuid.SafeUUID",
  "zoneinfo.ZoneInfo._unpickle",
]);

/** The verdict on importing `module.name`. */
export function classifyGlobal(module: string, name: string): { verdict: Verdict; reason: string } {
  const full = `${module}.${name}`;
  if (shownName(module) !== module || shownName(name) !== name) {
    // No importable name holds these; someone put them there, e.g. a newline that a protocol 0-3
    // GLOBAL line would turn into another global.
    return { verdict: "dangerous", reason: "not a Python name (empty, or holds quotes, blanks or control characters)" };
  }
  const top = module.split(".")[0]!;
  if (module === "builtins" || module === "__builtin__") {
    const base = name.split(".")[0]!;
    if (DANGEROUS_BUILTINS.has(base)) return { verdict: "dangerous", reason: `builtins.${base} runs or reaches arbitrary code` };
  }
  if (SAFE_STDLIB.has(full)) return { verdict: "safe-stdlib", reason: "standard-library data type" };
  // numpy's array, dtype and scalar reconstruction: only builds data (typed-pickle's reader interprets it).
  if (NUMPY_GLOBALS.has(full)) return { verdict: "safe-stdlib", reason: "numpy array, dtype or scalar reconstruction (builds data only)" };
  if (DANGEROUS_MODULES.has(top) || DANGEROUS_MODULES.has(module) || DANGEROUS_MODULES.has(full)) {
    return { verdict: "dangerous", reason: `${top} can run commands, code or I/O` };
  }
  if (name.split(".").some((part) => part.startsWith("__") && part.endsWith("__"))) {
    return { verdict: "dangerous", reason: "dunder attribute reaches interpreter internals" };
  }
  return { verdict: "unknown", reason: "not a known-safe standard-library type" };
}

type Sym =
  { kind: "str"; value: string } | { kind: "global"; module: string; name: string; finding: number } | { kind: "tuple"; items: Sym[] } | { kind: "other" } | { kind: "mark" };
const OTHER: Sym = { kind: "other" };
const MARK: Sym = { kind: "mark" };

const isGetattr = (s: Sym): s is Sym & { kind: "global" } => s.kind === "global" && s.module === "builtins" && s.name === "getattr";
/** Attribute names a getattr shape may reach: public names, plus these exact private ones. */
const SHAPE_ATTRIBUTE = /^[A-Za-z][A-Za-z0-9_]*$/;
const PRIVATE_SHAPES = new Set(["zoneinfo.ZoneInfo._unpickle"]);

/** Scans the pickle that starts at `start`. */
export function scan(data: Uint8Array, start = 0): ScanReport {
  return new Scanner(data, start).run();
}

/** One scan's symbolic stack, memo and findings: a class, so that scanning many small pickles creates no closures. */
class Scanner {
  private readonly findings: Finding[] = [];
  private readonly stack: Sym[] = [];
  private memo: Map<number, Sym> | null = null;
  /** getattr findings used other than as a getattr shape. */
  private readonly escaped = new Set<number>();
  /** Tuples already walked by escape(). */
  private escapedTuples: Set<Sym> | null = null;
  /** getattr finding -> the Class.NAME it reached. */
  private readonly shapes = new Map<number, string[]>();
  private proto = 0;
  private end: number;

  constructor(
    private readonly data: Uint8Array,
    private readonly start: number,
  ) {
    this.end = start;
  }

  run(): ScanReport {
    try {
      this.walk();
    } catch (e) {
      if (!(e instanceof GenopsError)) throw e;
      return { findings: settleGetattr(this.findings, this.shapes, this.escaped), error: { message: e.message, offset: e.pos }, end: this.end };
    }
    return { findings: settleGetattr(this.findings, this.shapes, this.escaped), end: this.end };
  }

  private add(offset: number, opcode: string, module: string, name: string): Sym {
    const pickled = `${module}.${name}`;
    if (this.proto < 3) {
      const renamed = NAME_MAPPING.get(`${module} ${name}`);
      if (renamed) [module, name] = renamed;
      else module = IMPORT_MAPPING.get(module) ?? module;
    }
    const finding: Finding = { offset, opcode, name: `${module}.${name}`, ...classifyGlobal(module, name) };
    if (finding.name !== pickled) finding.pickled = pickled;
    this.findings.push(finding);
    return { kind: "global", module, name, finding: this.findings.length - 1 };
  }

  /**
   * Marks a value some opcode consumes: a getattr taken off the stack this way has escaped.
   * Iterative, and each tuple is walked once (memoised tuples nest as a DAG).
   */
  private escape(root: Sym): void {
    if (isGetattr(root)) {
      this.escaped.add(root.finding);
      return;
    }
    if (root.kind !== "tuple") return;
    const walked = (this.escapedTuples ??= new Set());
    const work: Sym[] = [root];
    while (work.length > 0) {
      const s = work.pop()!;
      if (isGetattr(s)) this.escaped.add(s.finding);
      else if (s.kind === "tuple" && !walked.has(s)) {
        walked.add(s);
        for (const item of s.items) work.push(item);
      }
    }
  }

  private pop(): Sym {
    const s = this.stack.pop() ?? OTHER;
    this.escape(s);
    return s;
  }

  /** The items above the topmost MARK (all of them if there is none), taken off in one slice. */
  private sliceToMark(): Sym[] {
    const stack = this.stack;
    const at = stack.lastIndexOf(MARK);
    const items = stack.slice(at + 1);
    stack.length = Math.max(at, 0);
    return items;
  }

  private popMark(): Sym[] {
    const items = this.sliceToMark();
    for (const s of items) this.escape(s);
    return items;
  }

  private walk(): void {
    const { findings, stack, shapes } = this;
    const walker = new OpWalker(this.data, this.start);
    for (let op = walker.next(); op !== null; op = walker.next()) {
      this.end = op.end;
      const { name } = op.info;
      switch (name) {
        case "PROTO":
          this.proto = Number(op.arg);
          break;
        case "GLOBAL": {
          const [module, attr] = String(op.arg).split(" ") as [string, string];
          stack.push(this.add(op.pos, name, module, attr));
          break;
        }
        case "INST": {
          const [module, attr] = String(op.arg).split(" ") as [string, string];
          this.add(op.pos, name, module, attr);
          this.popMark();
          stack.push(OTHER);
          break;
        }
        case "STACK_GLOBAL": {
          const attr = this.pop();
          const module = this.pop();
          if (module.kind === "str" && attr.kind === "str") stack.push(this.add(op.pos, name, module.value, attr.value));
          else {
            findings.push({ offset: op.pos, opcode: name, name: "<computed name>", verdict: "dangerous", reason: "module or name is not a literal string" });
            stack.push(OTHER);
          }
          break;
        }
        case "EXT1":
        case "EXT2":
        case "EXT4":
          findings.push({ offset: op.pos, opcode: name, name: `<extension code ${op.arg}>`, verdict: "unknown", reason: "resolved through copyreg's extension registry" });
          stack.push(OTHER);
          break;
        case "REDUCE": {
          const args = stack.pop() ?? OTHER;
          const callable = stack.pop() ?? OTHER;
          const [target, attr] = args.kind === "tuple" ? args.items : [];
          if (isGetattr(callable) && args.kind === "tuple" && args.items.length === 2 && target?.kind === "global" && attr?.kind === "str") {
            const reached = `${target.name}.${attr.value}`;
            if (SHAPE_ATTRIBUTE.test(attr.value) || PRIVATE_SHAPES.has(`${target.module}.${reached}`)) {
              // getattr(Class, 'NAME'): an enum member or nested class; judged by what it reaches.
              const list = shapes.get(callable.finding) ?? [];
              list.push(`${target.module}.${reached}`);
              shapes.set(callable.finding, list);
              const verdict = PRIVATE_SHAPES.has(`${target.module}.${reached}`)
                ? { verdict: "safe-stdlib" as const, reason: "standard-library reduction" }
                : classifyGlobal(target.module, reached);
              findings.push({ offset: op.pos, opcode: name, name: `${target.module}.${reached}`, ...verdict });
              stack.push({ kind: "global", module: target.module, name: reached, finding: findings.length - 1 });
              break;
            }
          }
          this.escape(callable);
          this.escape(args);
          stack.push(OTHER);
          break;
        }
        case "EMPTY_TUPLE":
          stack.push({ kind: "tuple", items: [] });
          break;
        case "TUPLE1":
        case "TUPLE2":
        case "TUPLE3": {
          const n = Number(name[5]);
          const items = stack.splice(Math.max(0, stack.length - n), n);
          while (items.length < n) items.unshift(OTHER);
          stack.push({ kind: "tuple", items });
          break;
        }
        case "TUPLE":
          stack.push({ kind: "tuple", items: this.sliceToMark() });
          break;
        case "SHORT_BINUNICODE":
        case "BINUNICODE":
        case "BINUNICODE8":
        case "UNICODE":
        case "SHORT_BINSTRING":
        case "BINSTRING":
        case "STRING":
          stack.push({ kind: "str", value: String(op.arg) });
          break;
        case "MARK":
          stack.push(MARK);
          break;
        case "DUP":
          stack.push(stack[stack.length - 1] ?? OTHER);
          break;
        case "PUT":
        case "BINPUT":
        case "LONG_BINPUT":
          (this.memo ??= new Map()).set(Number(op.arg), stack[stack.length - 1] ?? OTHER);
          break;
        case "MEMOIZE": {
          const memo = (this.memo ??= new Map());
          memo.set(memo.size, stack[stack.length - 1] ?? OTHER);
          break;
        }
        case "GET":
        case "BINGET":
        case "LONG_BINGET":
          stack.push(this.memo?.get(Number(op.arg)) ?? OTHER);
          break;
        case "PERSID":
        case "BINPERSID":
          findings.push({ offset: op.pos, opcode: name, name: "<persistent id>", verdict: "unknown", reason: "resolved by the loader's persistent_load" });
          if (name === "BINPERSID") this.pop();
          stack.push(OTHER);
          break;
        case "STOP":
          this.pop();
          break;
        default: {
          // Any other opcode: its stack effect from the catalogue; what it consumes has escaped.
          const before = op.info.stackBefore;
          const markAt = before.indexOf("mark");
          if (markAt >= 0) {
            this.popMark();
            for (let i = 0; i < markAt; i++) this.pop();
          } else if (name === "POP" && stack[stack.length - 1] === MARK) {
            stack.pop();
          } else {
            for (let i = 0; i < before.length; i++) this.pop();
          }
          for (let i = 0; i < op.info.stackAfter.length; i++) stack.push(OTHER);
        }
      }
    }
  }
}

/** A getattr used only in getattr(Class, 'NAME') shapes is no danger of its own: what it reached was judged. */
function settleGetattr(findings: Finding[], shapes: Map<number, string[]>, escaped: Set<number>): Finding[] {
  if (shapes.size === 0) return findings;
  const settled: Finding[] = [];
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const reached = shapes.get(i);
    if (!reached || escaped.has(i)) {
      settled.push(f);
      continue;
    }
    const listed = reached.slice(0, 5).map(shownName).join(", ") + (reached.length > 5 ? `, … ${reached.length - 5} more` : "");
    settled.push({ ...f, verdict: "safe-stdlib", reason: `only used as getattr(Class, 'NAME'): ${listed}` });
  }
  return settled;
}
