// `typed-pickle infer`'s work as a function: pickles in, a formatted schema draft out.
import { draftSchema } from "./draft.ts";
import { Observer } from "./observe.ts";
import { readPickles } from "./read-pickles.ts";
import { formatSchemaSource, schemaSource } from "./schema-text.ts";

export interface InferResult {
  /** The schema file's text, formatted. */
  text: string;
  pickles: number;
  classes: number;
  enums: number;
  /** Files that were not (all) pickles, classes left out. */
  warnings: string[];
}

/** Drafts a schema from every pickle under `paths`; `formatAs` is the path whose prettier config formats it. */
export async function inferSchema(paths: readonly string[], formatAs: string): Promise<InferResult> {
  const observer = new Observer();
  const warnings: string[] = [];
  const pickles = readPickles(
    paths,
    (value) => observer.observe(value),
    (file, message) => warnings.push(`${file}: ${message}`),
  );
  const model = draftSchema(observer, (m) => warnings.push(m));
  const text = await formatSchemaSource(schemaSource(model), formatAs);
  return { text, pickles, classes: model.classes.length, enums: model.enums.length, warnings };
}
