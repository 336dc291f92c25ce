// CPython's pickle test corpus (python/pickletester_corpus.py), made once per test run.
import { runPythonJsonLines } from "./python.ts";

export interface CorpusCase {
  source: string;
  hex: string;
  ok: boolean;
  options?: { encoding?: string; fix_imports?: boolean; extensions?: Record<string, [string, string]> };
  /** The value CPython gives in opaque mode, tagged (python/tagged.py). */
  tagged?: unknown;
  /** The same in strict mode, or null when strict mode refuses a global. */
  strict?: unknown;
  /** pickletools.dis output, or null when pickletools refuses the pickle. */
  dis?: string | null;
  /** Every global CPython's unpickler resolved (find_class) while loading it. */
  globals?: string[];
  /** Set when CPython's pickle.dumps wrote it (default options): the protocol. */
  written_at?: number;
}

let cached: CorpusCase[] | undefined;

export function corpus(): CorpusCase[] {
  cached ??= runPythonJsonLines<CorpusCase>(["pickletester_corpus.py"]);
  return cached;
}
