// JSON text as kombu writes it (Python's json.dumps defaults: ", " and ": " separators, every
// character outside printable ASCII escaped), so a Node message is the text Celery itself would
// push, not only the same structure.

/** A JSON value (what the envelope and its headers hold). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** ensure_ascii: JSON.stringify already escapes quotes, backslashes and control characters. */
function asciiString(text: string): string {
  return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function number(n: number): string {
  // Python would write NaN and the infinities as bare words, which JSON readers refuse.
  if (!Number.isFinite(n)) throw new TypeError(`a Celery message cannot hold ${n}`);
  return JSON.stringify(n);
}

/** Punctuation already written out, on the work stack between values. */
class Punctuation {
  constructor(readonly text: string) {}
}

/** `json.dumps(value)` of a value with no cycles. Iterative: header values come from callers. */
export function pythonJson(root: JsonValue): string {
  const out: string[] = [];
  const work: (JsonValue | Punctuation)[] = [root];
  const pushReversed = (parts: (JsonValue | Punctuation)[]) => {
    for (let i = parts.length - 1; i >= 0; i--) work.push(parts[i]!);
  };
  while (work.length > 0) {
    const v = work.pop()!;
    if (v instanceof Punctuation) out.push(v.text);
    else if (v === null) out.push("null");
    else if (typeof v === "boolean") out.push(v ? "true" : "false");
    else if (typeof v === "number") out.push(number(v));
    else if (typeof v === "string") out.push(asciiString(v));
    else if (Array.isArray(v)) {
      const parts: (JsonValue | Punctuation)[] = [new Punctuation("[")];
      for (const [i, item] of v.entries()) parts.push(...(i ? [new Punctuation(", ")] : []), item);
      pushReversed([...parts, new Punctuation("]")]);
    } else {
      const parts: (JsonValue | Punctuation)[] = [new Punctuation("{")];
      for (const [i, [k, item]] of Object.entries(v).entries()) parts.push(new Punctuation(`${i ? ", " : ""}${asciiString(k)}: `), item);
      pushReversed([...parts, new Punctuation("}")]);
    }
  }
  return out.join("");
}
