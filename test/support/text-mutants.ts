// Seeded random edits of sample strings, for tests that compare a parser with CPython's over many
// near-valid texts. Deterministic: the same samples on every run.

/** A deterministic pseudo-random stream in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface MutantOptions {
  /** Characters inserted or substituted. */
  alphabet: readonly string[];
  /** Mutants made from each base. */
  perBase: number;
  /** Each mutant gets 1..maxEdits edits (replace, insert or delete one character). */
  maxEdits: number;
  seed: number;
}

/** The bases and their mutants, without repeats. */
export function mutateTexts(bases: readonly string[], { alphabet, perBase, maxEdits, seed }: MutantOptions): string[] {
  const next = seededRandom(seed);
  const out = new Set<string>(bases);
  for (const base of bases) {
    for (let k = 0; k < perBase; k++) {
      const chars = Array.from(base);
      const edits = maxEdits > 1 ? 1 + Math.floor(next() * maxEdits) : 1;
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * (chars.length + 1));
        const c = alphabet[Math.floor(next() * alphabet.length)]!;
        const kind = next();
        if (kind < 0.4) chars[at] = c;
        else if (kind < 0.7) chars.splice(at, 0, c);
        else chars.splice(at, 1);
      }
      out.add(chars.join(""));
    }
  }
  return [...out];
}
