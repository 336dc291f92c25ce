// "an Order", "a User": the indefinite article for a class or type name in messages and generated
// comments. English picks it by the next word's first *sound*; spelling only approximates that. The
// accepted heuristic is the first letter (a vowel letter takes "an"), with two refinements that cover
// the names programs use most: an acronym is read letter by letter ("a UUID", "an HTTPError",
// "an XMLNode"), and a "u" said "you" — u, one consonant, a vowel — takes "a" ("a User", "a Unit",
// "a Usage", and JavaScript's "a Uint8Array"; but "an Update", "an Umbrella"). Misses stay readable:
// "an Hour", "a Unable", "an Euro".

/** Letters whose spoken name starts with a vowel sound: "an F", "an HTTP", "an SQL". */
const VOWEL_SOUND_LETTERS = /^[aefhilmnorsx]/i;

/** `word` with "a" or "an" before it. */
export function withArticle(word: string): string {
  const acronym = /^[A-Z]{2}/.test(word);
  const an = acronym ? VOWEL_SOUND_LETTERS.test(word) : /^[aeiou]/i.test(word) && !/^u(int|[^aeiou\W\d_][aeiou])/i.test(word);
  return `${an ? "an" : "a"} ${word}`;
}
