// How `infer` and `import-python` hand over a drafted schema: warnings on stderr, the draft to --out
// (its directory made) or to stdout, one summary line, exit 1 when the draft holds nothing.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

export interface Draft {
  text: string;
  warnings: readonly string[];
  classes: number;
  enums: number;
}

/** "1 class", "2 classes", "3 enums". */
export const counted = (k: number, noun: string) => `${k} ${noun}${k === 1 ? "" : noun.endsWith("s") ? "es" : "s"}`;

/** Writes `draft` as the command line asked; `read` says what was read, before the counts ("3 pickles read: "). */
export function deliverDraft(draft: Draft, out: string, read = ""): void {
  for (const w of draft.warnings) process.stderr.write(`warning: ${w}\n`);
  if (out) {
    mkdirSync(dirname(resolve(out)), { recursive: true });
    writeFileSync(out, draft.text);
  } else process.stdout.write(draft.text);
  process.stderr.write(`${read}${counted(draft.classes, "class")}, ${counted(draft.enums, "enum")}${out ? ` → ${out}` : ""}\n`);
  process.exitCode = draft.classes + draft.enums === 0 ? 1 : 0;
}
