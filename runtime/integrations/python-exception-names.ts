// The names of Python's built-in exception classes, as a pickle names them (`builtins.<name>`).
// Python integrations read a peer's exception as data; a class in `builtins` is one of these or is
// not an exception at all (builtins.eval, builtins.NotImplemented).

/**
 * Python 3.11's built-in exception classes by their own name (the aliases IOError and
 * EnvironmentError pickle as OSError, so they never appear), plus PythonFinalizationError, which
 * 3.13 adds.
 */
export const BUILTIN_EXCEPTION_NAMES: ReadonlySet<string> = new Set([
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
  "PythonFinalizationError",
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
]);

/** A class name by convention: CapWords (`posix.system`, `builtins.eval` are functions). */
const CAP_WORDS = /^[A-Z][A-Za-z0-9_]*$/;

/**
 * Whether `module.qualname` can name an exception class: in `builtins`, one of the built-in
 * exceptions; elsewhere a CapWords name, each part of a nested class's qualname (`Outer.Failed`) too.
 */
export function isExceptionClassName(module: string, qualname: string): boolean {
  if (module === "builtins") return BUILTIN_EXCEPTION_NAMES.has(qualname);
  return qualname.split(".").every((part) => CAP_WORDS.test(part));
}
