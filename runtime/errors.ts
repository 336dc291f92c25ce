// The error classes, named as Python's pickle module names them.

/** Base of every error typed-pickle raises about pickle data (Python's `pickle.PickleError`). */
export class PickleError extends Error {
  override name = "PickleError";
}

/** Reading failed: malformed, truncated, refused or over a limit. Carries where it happened. */
export class UnpicklingError extends PickleError {
  override name = "UnpicklingError";
  /** Byte offset of the opcode at fault, from the start of the input (-1 if unknown). */
  readonly offset: number;
  /** That opcode's name ("GLOBAL"), or "" when the fault is not at an opcode. */
  readonly opcode: string;
  /** The reason alone, without the location suffix. */
  readonly reason: string;

  constructor(reason: string, offset = -1, opcode = "", options?: { cause?: unknown }) {
    const where = offset >= 0 ? ` (offset ${offset}${opcode ? `, ${opcode}` : ""})` : "";
    super(reason + where, options);
    this.reason = reason;
    this.offset = offset;
    this.opcode = opcode;
  }

  /** The same error with its offset moved by `by` bytes (a pickle read from the middle of a stream). */
  shifted(by: number): UnpicklingError {
    if (this.offset < 0 || by === 0) return this;
    const Same = this.constructor as typeof UnpicklingError;
    return new Same(this.reason, this.offset + by, this.opcode, { cause: this.cause });
  }
}

/** The input ended inside a pickle. A stream reader takes this as "read more and try again". */
export class PickleTruncatedError extends UnpicklingError {
  override name = "PickleTruncatedError";
}

/**
 * What the reader built passed its allocation budget (`limits.allocationFactor` × the input size).
 * The budget grows with the input, so a stream reader holding part of a pickle reads more first.
 */
export class PickleBudgetError extends UnpicklingError {
  override name = "PickleBudgetError";
}

/** Writing failed: a value that cannot be pickled. `path` says where it sits (`$.users[3].onChange`). */
export class PicklingError extends PickleError {
  override name = "PicklingError";
  /** The value at fault, while the pickler looks for its path (internal). */
  offending?: { value: unknown };
  constructor(
    readonly reason: string,
    readonly path: string = "$",
  ) {
    super(`${path}: ${reason}`);
  }
}
