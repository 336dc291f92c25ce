// Standard-library scalars that CPython pickles through a reduction: kept exact, never converted to
// a lossy JavaScript number.

/** `decimal.Decimal`, kept as the exact text Python gave it (`Decimal('3.14')` → "3.14"). */
export class PyDecimal {
  constructor(readonly text: string) {
    if (!DECIMAL_SYNTAX.test(text)) throw new RangeError(`invalid literal for Decimal: '${text}'`);
  }
}

// Python's decimal string syntax (decimal.py's _parser), with the surrounding whitespace and digit
// underscores that Decimal() accepts.
const DECIMAL_SYNTAX =
  /^\s*[+-]?(?:(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?|inf(?:inity)?|s?nan\d*)\s*$/i;

/** `uuid.UUID`: the 128-bit integer, plus the `is_safe` state Python 3.11 keeps when it is known. */
export class PyUUID {
  constructor(
    readonly int: bigint,
    /** SafeUUID's value: 0 safe, -1 unsafe, null unknown. Absent from the pickle when unknown. */
    readonly isSafe: 0 | -1 | null = null,
  ) {
    if (int < 0n || int >= 1n << 128n) throw new RangeError("int is out of range (need a 128-bit value)");
  }

  /** The canonical 8-4-4-4-12 hexadecimal form. */
  toString(): string {
    const hex = this.int.toString(16).padStart(32, "0");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  static parse(text: string): PyUUID {
    const hex = text.replace(/^urn:uuid:/, "").replace(/[{}-]/g, "");
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`badly formed hexadecimal UUID string: '${text}'`);
    return new PyUUID(BigInt("0x" + hex));
  }
}

/** Python `complex`. */
export class PyComplex {
  constructor(
    readonly real: number,
    readonly imag: number,
  ) {}
}

/**
 * A float as a dict key or set member where a JavaScript Map or Set would change it: -0.0 (a Map
 * stores it as +0) and NaN (a Map holds one NaN; Python keeps distinct NaN objects apart). Only the
 * reader's keys use it; everywhere else a float is a plain number.
 */
export class PyFloat {
  constructor(readonly value: number) {}

  /** True when a number must be boxed to survive as a Map key or Set member. */
  static needsBox(x: number): boolean {
    return Number.isNaN(x) || Object.is(x, -0);
  }
}
