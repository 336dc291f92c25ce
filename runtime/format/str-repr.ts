// Python's repr() of str and bytes, character for character.

// str.isprintable() is false for these Unicode categories (and true for the ASCII space).
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function quoteFor(hasSingle: boolean, hasDouble: boolean): string {
  return hasSingle && !hasDouble ? '"' : "'";
}

/** Python's escape for a character str.isprintable() rejects; undefined for a printable one. */
function unprintableEscape(ch: string, cp: number): string | undefined {
  if (ch === "\t") return "\\t";
  if (ch === "\n") return "\\n";
  if (ch === "\r") return "\\r";
  if (cp < 0x20 || cp === 0x7f) return "\\x" + cp.toString(16).padStart(2, "0");
  if (cp < 0x7f) return undefined;
  if (ch.length === 1 && cp >= 0xd800 && cp <= 0xdfff) return "\\u" + cp.toString(16).padStart(4, "0");
  if (NOT_PRINTABLE.test(ch)) {
    return cp <= 0xff ? "\\x" + cp.toString(16).padStart(2, "0") : cp <= 0xffff ? "\\u" + cp.toString(16).padStart(4, "0") : "\\U" + cp.toString(16).padStart(8, "0");
  }
  return undefined;
}

/** repr(str): 'text' with Python's escapes; printable non-ASCII characters stay as they are. */
export function strRepr(text: string): string {
  const quote = quoteFor(text.includes("'"), text.includes('"'));
  let out = quote;
  for (const ch of text) {
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else out += unprintableEscape(ch, ch.codePointAt(0)!) ?? ch;
  }
  return out + quote;
}

/**
 * Text (a message that may quote a pickle) with every character repr() would escape escaped the
 * same way, quotes and backslashes left alone: safe to write to a terminal.
 */
export function escapeUnprintable(text: string): string {
  // Fast path: printable ASCII and newline-free text is most messages.
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  let out = "";
  for (const ch of text) out += unprintableEscape(ch, ch.codePointAt(0)!) ?? ch;
  return out;
}

/** repr(bytes): b'…' with \xNN escapes for non-printable bytes. */
export function bytesRepr(bytes: Uint8Array, prefix = "b"): string {
  let hasSingle = false;
  let hasDouble = false;
  for (const b of bytes) {
    if (b === 0x27) hasSingle = true;
    else if (b === 0x22) hasDouble = true;
  }
  const quote = quoteFor(hasSingle, hasDouble);
  const q = quote.charCodeAt(0);
  let out = prefix + quote;
  for (const b of bytes) {
    if (b === q || b === 0x5c) out += "\\" + String.fromCharCode(b);
    else if (b === 0x09) out += "\\t";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x0d) out += "\\r";
    else if (b < 0x20 || b >= 0x7f) out += "\\x" + b.toString(16).padStart(2, "0");
    else out += String.fromCharCode(b);
  }
  return out + quote;
}

/**
 * A name taken from a pickle, fit to print: as it is when Python's repr() would show it unchanged
 * (printable, no quote or backslash, no blank), else as that repr(): never a raw control character,
 * terminal escape or bidi override.
 */
export function shownName(text: string): string {
  const quoted = strRepr(text);
  return text.length > 0 && quoted === `'${text}'` && !/\s/.test(text) ? text : quoted;
}
