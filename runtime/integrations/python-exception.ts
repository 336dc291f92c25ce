// A Python exception as data: its class (module and qualname), `args` and `__dict__`, and the text
// `str(exc)` would give. Nothing of it is imported or called; integrations that receive a peer's
// exception (a Celery failure, a manager's #ERROR reply) report it in this shape.
import { PyTuple } from "../model/containers.ts";
import type { PyValue } from "../model/value.ts";
import { pyRepr } from "../format/repr.ts";
import { ReductionError, SET_STATE } from "../reader/globals.ts";

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
     * Set when the exception did not pickle and the peer stored a stand-in (Celery's
     * UnpickleableExceptionWrapper): the repr of the original exception it kept (the args are then
     * the ones that pickled, others as reprs).
     */
    readonly unpickleableRepr: string | null = null,
  ) {}

  /** `module.Name`, as Python prints it for a non-builtin class, or just `Name` for a builtin. */
  get className(): string {
    return this.module === "builtins" ? this.name : this.qualifiedName;
  }

  /** `module.qualname` always: `builtins.KeyError`, `myapp.errors.QuotaError`. */
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }

  /**
   * What `str(exc)` gives for a BaseException: "" with no args, the one arg (builtins.KeyError's as
   * repr), else the args' tuple (reprs clipped).
   */
  get message(): string {
    const [first] = this.args;
    if (this.args.length === 0) return "";
    if (this.args.length === 1) return typeof first === "string" && this.qualifiedName !== "builtins.KeyError" ? first : clippedRepr(first!);
    return clippedRepr(new PyTuple(this.args));
  }

  /** BUILD with the exception's `__dict__` (BaseException.__setstate__ takes a dict). */
  [SET_STATE](state: PyValue): void {
    // A stand-in's own __dict__ repeats its args (exc_module, exc_cls_name, …): not the exception's attributes.
    if (state === null || this.unpickleableRepr !== null) return;
    if (!(state instanceof Map)) throw new ReductionError(`the state of ${this.className} must be a dict, got ${pyRepr(state, 80)}`);
    this.attributes ??= new Map();
    for (const [k, v] of state) this.attributes.set(k, v);
  }
}
