// The fast path's argv reader: parses a plain command line against a command's table, and says
// "miss" (undefined) for anything it is not sure yargs would read the same way — an unknown or
// repeated option, `--help`, `--no-x`, `--x=…` on a boolean, a value that is not a plain decimal
// integer, a choice not allowed, a wrong number of positionals, `--`, `-`. On a miss the caller
// hands argv to yargs, which reads it (or explains the usage error). test/cli/dispatch.test.ts
// checks that every table option parses to the same values both ways.
import { type AnyCommandSpec, type OptionSpec, camelCase } from "./command-spec.ts";

/** Args for `spec.run` from argv (the words after the command name), or undefined: let yargs decide. */
export function fastParse(spec: AnyCommandSpec, argv: readonly string[]): Record<string, unknown> | undefined {
  const args: Record<string, unknown> = {};
  const positional: string[] = [];
  const seen = new Set<string>();
  const byAlias = new Map<string, string>();
  for (const [name, o] of Object.entries(spec.options)) if (o.alias) byAlias.set(o.alias, name);

  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith("-")) {
      positional.push(word);
      continue;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      name = word.slice(2, eq < 0 ? undefined : eq);
      if (eq >= 0) inline = word.slice(eq + 1);
    } else if (word.length === 2) {
      name = byAlias.get(word[1]!);
    }
    const option: OptionSpec | undefined = name === undefined || !Object.hasOwn(spec.options, name) ? undefined : spec.options[name];
    if (name === undefined || option === undefined || seen.has(name)) return undefined;
    seen.add(name);
    if (option.type === "boolean") {
      // yargs reads `--json=false` and `--json false` as false: leave those to it.
      if (inline !== undefined || argv[i + 1] === "true" || argv[i + 1] === "false") return undefined;
      args[camelCase(name)] = true;
      continue;
    }
    const text = inline ?? argv[++i];
    if (text === undefined || text.startsWith("-")) return undefined;
    // A number is taken only in plain decimal; yargs' readings of "0x1f", "1e3" or " 4" are its own.
    if (option.type === "number" && !/^(0|[1-9][0-9]{0,8})$/.test(text)) return undefined;
    const value = option.type === "number" ? Number(text) : text;
    if (option.choices && !option.choices.includes(value)) return undefined;
    args[camelCase(name)] = value;
  }

  // Each plain positional takes one word; a last array one takes the rest (at least one).
  const last = spec.positionals.at(-1);
  const fixed = last?.array ? spec.positionals.length - 1 : spec.positionals.length;
  if (last?.array ? positional.length <= fixed : positional.length !== fixed) return undefined;
  for (const [k, p] of spec.positionals.entries()) args[camelCase(p.name)] = p.array ? positional.slice(k) : positional[k];
  for (const [name, o] of Object.entries(spec.options)) if (!seen.has(name)) args[camelCase(name)] = o.default;
  return args;
}
