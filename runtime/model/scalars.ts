// Standard-library scalars that CPython pickles through a reduction: kept exact, never converted to
// a lossy JavaScript number.

/**
 * `decimal.Decimal`, kept as the text it was made from (`Decimal('3.14')` → "3.14"): exact, never a
 * binary float. The text is checked against Python's own rules, so a pickle written with it loads.
 */
export class PyDecimal {
  constructor(readonly text: string) {
    parseDecimal(text);
  }

  /** `Decimal(text)`: Python's syntax ("3.14", "-1.5e-3", "1_000", "NaN", "-Infinity", …). */
  static fromString(text: string): PyDecimal {
    return new PyDecimal(text);
  }

  /** `Decimal(n)` of an integer. */
  static fromBigInt(n: bigint): PyDecimal {
    return new PyDecimal(n.toString());
  }

  /**
   * `Decimal(x)` of a JavaScript number, as Python's `Decimal(float)`: the double's exact value, so
   * `fromNumber(0.1)` is 0.1000000000000000055511151231257827021181583404541015625 — nothing is
   * rounded. For the decimal you wrote, pass the text: `fromString("0.1")`.
   */
  static fromNumber(x: number): PyDecimal {
    if (Number.isNaN(x)) return new PyDecimal("NaN");
    if (!Number.isFinite(x)) return new PyDecimal(x > 0 ? "Infinity" : "-Infinity");
    const sign = x < 0 || Object.is(x, -0) ? "-" : "";
    const [numerator, k] = binaryFraction(Math.abs(x));
    // n / 2^k = n·5^k / 10^k: the coefficient and exponent of Decimal.from_float.
    return new PyDecimal(sciString(sign, (numerator * 5n ** BigInt(k)).toString(), BigInt(-k)));
  }

  /** Whichever of fromString / fromBigInt / fromNumber fits. */
  static from(value: string | bigint | number): PyDecimal {
    return typeof value === "string" ? PyDecimal.fromString(value) : typeof value === "bigint" ? PyDecimal.fromBigInt(value) : PyDecimal.fromNumber(value);
  }

  /** Python's `str(d)`: "1.50", "1E+5", "-0", "NaN", "sNaN12", "-Infinity". */
  toString(): string {
    const d = parseDecimal(this.text);
    const sign = d.negative ? "-" : "";
    if (d.kind === "inf") return `${sign}Infinity`;
    if (d.kind !== "finite") return `${sign}${d.kind === "snan" ? "sNaN" : "NaN"}${d.digits === "0" ? "" : d.digits}`;
    return sciString(sign, d.digits, d.exponent);
  }
}

/** A Decimal's value: sign, kind, coefficient digits (no leading zeros; "0" for none) and exponent. */
interface DecimalParts {
  negative: boolean;
  kind: "finite" | "inf" | "nan" | "snan";
  digits: string;
  exponent: bigint;
}

// libmpdec's limits for the 64-bit build CPython uses: MAX_EMAX and MIN_ETINY.
const MAX_EMAX = 999_999_999_999_999_999n;
const MIN_ETINY = -1_999_999_999_999_999_997n;

/** Python's str.isspace characters. */
const PY_SPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const PY_SPACE_RUN = new RegExp(`^${PY_SPACE.source}+|${PY_SPACE.source}+$`, "g");

const DECIMAL_SYNTAX = /^([+-]?)(?:(\d+)?(?:\.(\d*))?(?:e([+-]?\d+))?|(inf|infinity)|(s?nan)(\d*))$/i;

/**
 * What CPython's `Decimal(str)` does (_decimal's numeric_as_ascii, then libmpdec): underscores
 * anywhere are dropped, surrounding whitespace stripped, then the decimal syntax, case-insensitive.
 * Non-ASCII digits (which Python reads) are refused: JavaScript's Unicode tables may differ from
 * Python 3.11's, and a pickle Python cannot load must never be written.
 */
function parseDecimal(text: string): DecimalParts {
  const bad = (why = ""): never => {
    throw new RangeError(`invalid literal for Decimal: ${shown(text)}${why}`);
  };
  if (typeof text !== "string") bad(" (not a string)");
  const ascii = text.replace(/_/g, "").replace(PY_SPACE_RUN, "");
  if (/[^\x01-\x7f]/.test(ascii)) bad(/(?![\x00-\x7f])\p{Nd}/u.test(ascii) ? " (write the digits in ASCII)" : "");
  const m = DECIMAL_SYNTAX.exec(ascii);
  if (!m || (m[2] === undefined && !m[3] && !m[5] && !m[6])) return bad();
  const negative = m[1] === "-";
  if (m[5]) return { negative, kind: "inf", digits: "0", exponent: 0n };
  if (m[6]) return { negative, kind: m[6].length === 4 ? "snan" : "nan", digits: (m[7] ?? "").replace(/^0+/, "") || "0", exponent: 0n };
  const fraction = m[3] ?? "";
  const digits = ((m[2] ?? "") + fraction).replace(/^0+/, "") || "0";
  const exponent = BigInt(m[4] ?? 0) - BigInt(fraction.length);
  if (exponent < MIN_ETINY || exponent + BigInt(digits.length - 1) > MAX_EMAX) bad(" (exponent beyond Python's decimal limits)");
  return { negative, kind: "finite", digits, exponent };
}

/** A string in quotes with anything but printable ASCII escaped (a BOM or NUL is visible). */
function shown(text: string): string {
  return JSON.stringify(String(text)).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Decimal's to-scientific-string of a finite value (Python's `Decimal.__str__`). */
function sciString(sign: string, digits: string, exponent: bigint): string {
  const n = BigInt(digits.length);
  const leftDigits = exponent + n;
  const dotPlace = exponent <= 0n && leftDigits > -6n ? leftDigits : 1n;
  let intPart: string;
  let fracPart = "";
  if (dotPlace <= 0n) {
    intPart = "0";
    fracPart = "." + "0".repeat(Number(-dotPlace)) + digits;
  } else if (dotPlace >= n) {
    intPart = digits + "0".repeat(Number(dotPlace - n));
  } else {
    intPart = digits.slice(0, Number(dotPlace));
    fracPart = "." + digits.slice(Number(dotPlace));
  }
  const adjusted = leftDigits - dotPlace;
  const exp = adjusted === 0n ? "" : `E${adjusted > 0n ? "+" : ""}${adjusted}`;
  return sign + intPart + fracPart + exp;
}

/** A positive finite double as n / 2^k in lowest terms (Python's `float.as_integer_ratio`). */
function binaryFraction(x: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let e = biased - 1075; // x = mantissa · 2^e
  if (biased === 0) e = -1074;
  else mantissa |= 1n << 52n;
  if (mantissa === 0n) return [0n, 0];
  while (e < 0 && (mantissa & 1n) === 0n) {
    mantissa >>= 1n;
    e++;
  }
  return e >= 0 ? [mantissa << BigInt(e), 0] : [mantissa, -e];
}

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

  /** The 32 hexadecimal digits, without hyphens (Python's `u.hex`). */
  get hex(): string {
    return this.int.toString(16).padStart(32, "0");
  }

  /** "urn:uuid:…" (Python's `u.urn`). */
  get urn(): string {
    return `urn:uuid:${this}`;
  }

  /**
   * `uuid.UUID(text)`, with the forms Python accepts: "12345678-1234-5678-1234-567812345678",
   * braces, "urn:uuid:", no hyphens, upper case (and Python's other leniencies: `int(hex, 16)`'s
   * sign, "0x" and underscores). Non-ASCII digits, which Python also reads, are refused.
   */
  static parse(text: string): PyUUID {
    const bad = (): never => {
      throw new RangeError(`badly formed hexadecimal UUID string: ${JSON.stringify(text)}`);
    };
    // UUID.__init__: drop "urn:" and "uuid:" anywhere, braces at the ends, hyphens anywhere.
    const hex = text
      .replaceAll("urn:", "")
      .replaceAll("uuid:", "")
      .replace(/^[{}]+|[{}]+$/g, "")
      .replaceAll("-", "");
    if ([...hex].length !== 32) bad();
    // int(hex, 16): surrounding whitespace, a sign, a 0x prefix, underscores between digits.
    const m = /^([+-]?)(?:0x_?)?([0-9a-f]+(?:_[0-9a-f]+)*)$/i.exec(hex.replace(PY_SPACE_RUN, ""));
    if (!m) return bad();
    const value = BigInt("0x" + m[2]!.replaceAll("_", ""));
    return new PyUUID(m[1] === "-" ? -value : value);
  }

  /** The same as parse(). */
  static fromString(text: string): PyUUID {
    return PyUUID.parse(text);
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
