// A failed task's exception as Celery's pickle result serializer stores it (the exception object
// itself, pickled as `cls(*args)` plus its __dict__), read as data: the class name, the arguments
// and the attributes. Only exception classes on a list are accepted, and none is ever called: the
// list decides which names may appear, our handler records them.
import { PyTuple } from "../../model/containers.ts";
import type { PyValue } from "../../model/value.ts";
import { pyRepr } from "../../format/repr.ts";
import { type GlobalHandler, type GlobalRegistry, ReductionError, SET_STATE } from "../../reader/globals.ts";

/** Python's built-in exception classes (Python 3.11's `builtins`). */
const BUILTIN_EXCEPTIONS = [
  "ArithmeticError",
  "AssertionError",
  "AttributeError",
  "BaseException",
  "BaseExceptionGroup",
  "BlockingIOError",
  "BrokenPipeError",
  "BufferError",
  "BytesWarning",
  "ChildProcessError",
  "ConnectionAbortedError",
  "ConnectionError",
  "ConnectionRefusedError",
  "ConnectionResetError",
  "DeprecationWarning",
  "EOFError",
  "EncodingWarning",
  "Exception",
  "ExceptionGroup",
  "FileExistsError",
  "FileNotFoundError",
  "FloatingPointError",
  "FutureWarning",
  "GeneratorExit",
  "ImportError",
  "ImportWarning",
  "IndentationError",
  "IndexError",
  "InterruptedError",
  "IsADirectoryError",
  "KeyError",
  "KeyboardInterrupt",
  "LookupError",
  "MemoryError",
  "ModuleNotFoundError",
  "NameError",
  "NotADirectoryError",
  "NotImplementedError",
  "OSError",
  "OverflowError",
  "PendingDeprecationWarning",
  "PermissionError",
  "ProcessLookupError",
  "RecursionError",
  "ReferenceError",
  "ResourceWarning",
  "RuntimeError",
  "RuntimeWarning",
  "StopAsyncIteration",
  "StopIteration",
  "SyntaxError",
  "SyntaxWarning",
  "SystemError",
  "SystemExit",
  "TabError",
  "TimeoutError",
  "TypeError",
  "UnboundLocalError",
  "UnicodeDecodeError",
  "UnicodeEncodeError",
  "UnicodeError",
  "UnicodeTranslateError",
  "UnicodeWarning",
  "UserWarning",
  "ValueError",
  "Warning",
  "ZeroDivisionError",
].map((name) => `builtins.${name}`);

/**
 * The exceptions Celery itself stores for a task: a revoked task, a retry, time limits and a lost
 * worker (those three live in billiard), and the wrapper it puts around an exception that does not
 * pickle.
 */
const CELERY_EXCEPTIONS = [
  "celery.exceptions.TaskRevokedError",
  "celery.exceptions.Retry",
  "celery.exceptions.Ignore",
  "celery.exceptions.Reject",
  "celery.exceptions.MaxRetriesExceededError",
  "celery.exceptions.NotRegistered",
  "celery.exceptions.InvalidTaskError",
  "celery.exceptions.ChordError",
  "celery.exceptions.TaskError",
  "celery.exceptions.TimeoutError",
  "billiard.exceptions.TimeLimitExceeded",
  "billiard.exceptions.SoftTimeLimitExceeded",
  "billiard.exceptions.WorkerLostError",
  "billiard.exceptions.Terminated",
];

/** Celery's stand-in for an exception that would not pickle: `(exc_module, exc_cls_name, exc_args, text)`. */
const UNPICKLEABLE_WRAPPER = "celery.utils.serialization.UnpickleableExceptionWrapper";

/** The longest repr of exception arguments put in a message. */
const MESSAGE_REPR_CHARS = 2000;

function clippedRepr(value: PyValue): string {
  try {
    return pyRepr(value, MESSAGE_REPR_CHARS);
  } catch {
    return "(arguments too long to show)";
  }
}

/** A Python exception, as data. Nothing of it was called or imported. */
export class PythonException {
  /** Attributes set on the exception (its `__dict__`), if the pickle had any. */
  attributes: Map<PyValue, PyValue> | null = null;
  constructor(
    /** `builtins`, `celery.exceptions`, `myapp.errors`. */
    readonly module: string,
    /** The class's qualified name: `ValueError`. */
    readonly name: string,
    /** `exc.args`. */
    readonly args: readonly PyValue[],
    /**
     * Set when the exception did not pickle and Celery stored its UnpickleableExceptionWrapper: the
     * repr of the original exception it kept (the args are then the ones that pickled, others as reprs).
     */
    readonly unpickleableRepr: string | null = null,
  ) {}

  /** `module.Name`, as Celery prints it for a non-builtin class, or just `Name` for a builtin. */
  get className(): string {
    return this.module === "builtins" ? this.name : `${this.module}.${this.name}`;
  }

  /** What `str(exc)` gives for a BaseException: "" with no args, the one arg (a KeyError's as repr), else the args' tuple. */
  get message(): string {
    const [first] = this.args;
    if (this.args.length === 0) return "";
    if (this.args.length === 1) return typeof first === "string" && this.name !== "KeyError" ? first : clippedRepr(first!);
    return clippedRepr(new PyTuple(this.args));
  }

  /** BUILD with the exception's `__dict__` (BaseException.__setstate__ takes a dict). */
  [SET_STATE](state: PyValue): void {
    // The wrapper's own __dict__ repeats its args (exc_module, exc_cls_name, …): not the exception's attributes.
    if (state === null || this.unpickleableRepr !== null) return;
    if (!(state instanceof Map)) throw new ReductionError(`the state of ${this.className} must be a dict, got ${pyRepr(state, 80)}`);
    this.attributes ??= new Map();
    for (const [k, v] of state) this.attributes.set(k, v);
  }
}

function recorded(qualified: string): GlobalHandler {
  const dot = qualified.lastIndexOf(".");
  const module = qualified.slice(0, dot);
  const name = qualified.slice(dot + 1);
  const make = (args: readonly PyValue[]) => new PythonException(module, name, args) as unknown as PyValue;
  return { call: make, construct: make };
}

/** The wrapper stands for the exception it names: that class and those args, and the repr Celery kept. */
const unwrapped: GlobalHandler = {
  call(args) {
    const [module, name, excArgs, text] = args;
    if (typeof module !== "string" || typeof name !== "string" || !(excArgs instanceof PyTuple || Array.isArray(excArgs))) {
      throw new ReductionError(`${UNPICKLEABLE_WRAPPER} expects (module, class name, args, text), got ${pyRepr(new PyTuple(args), 120)}`);
    }
    const items = excArgs instanceof PyTuple ? excArgs.items : excArgs;
    return new PythonException(module, name, items, typeof text === "string" ? text : "") as unknown as PyValue;
  },
};

/**
 * The allowlist of exception classes: Python's built-in ones, Celery's own, and `extra`
 * (`module.QualName` of the application's exception classes a task may raise).
 */
export function exceptionRegistry(extra: readonly string[] = []): GlobalRegistry {
  const registry = new Map<string, GlobalHandler>();
  for (const name of [...BUILTIN_EXCEPTIONS, ...CELERY_EXCEPTIONS, ...extra]) {
    if (!/^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+$/.test(name)) throw new TypeError(`an exception class is named module.QualName, got ${JSON.stringify(name)}`);
    registry.set(name, recorded(name));
  }
  registry.set(UNPICKLEABLE_WRAPPER, unwrapped);
  return registry;
}

/** Celery's other form (the JSON serializer's, and any `exc_type` dict): `{exc_type, exc_message, exc_module}`. */
export function exceptionFromDict(meta: Map<PyValue, PyValue>): PythonException | null {
  const type = meta.get("exc_type");
  const module = meta.get("exc_module");
  const message = meta.get("exc_message");
  if (typeof type !== "string") return null;
  const args = message instanceof PyTuple ? message.items : Array.isArray(message) ? message : message === undefined || message === null ? [] : [message];
  return new PythonException(typeof module === "string" ? module : "builtins", type, args);
}
