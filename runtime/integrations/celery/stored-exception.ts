// A failed task's exception as Celery stores it, read as data: the class name, the arguments and the
// attributes. The pickle result serializer stores the exception object itself (`cls(*args)` plus its
// __dict__): only exception classes on a list are accepted, and none is ever called — the list
// decides which names may appear, our handler records them. The JSON serializer stores a dict.
import { PyTuple } from "../../model/containers.ts";
import type { PyValue } from "../../model/value.ts";
import { pyRepr } from "../../format/repr.ts";
import { type GlobalHandler, type GlobalRegistry, ReductionError } from "../../reader/globals.ts";
import { BUILTIN_EXCEPTION_NAMES } from "../python-exception-names.ts";
import { PythonException } from "../python-exception.ts";

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

/** Python's built-in exception classes, as a pickle names them. */
const BUILTIN_EXCEPTIONS = [...BUILTIN_EXCEPTION_NAMES].map((name) => `builtins.${name}`);

/** Celery's stand-in for an exception that would not pickle: `(exc_module, exc_cls_name, exc_args, text)`. */
const UNPICKLEABLE_WRAPPER = "celery.utils.serialization.UnpickleableExceptionWrapper";

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
