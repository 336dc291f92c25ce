// `typed-pickle scan FILE...`: every global each pickle would import or call, classed safe-stdlib,
// unknown or dangerous. Exit 1 when anything is not safe-stdlib (even in a file that is unreadable
// further on: CPython runs a REDUCE as soon as it reaches it), else 2 when a file could not be read
// to its end, else 0. Names are printed as the pickle spells them and, when CPython imports
// another (fix_imports), as CPython imports them: `__builtin__.set → builtins.set`; a name that
// is not plain printable text is shown as Python's repr() of it, and --json is ASCII only.
import { shownName } from "../../../runtime/format/str-repr.ts";
import { type Finding, scan } from "../../../runtime/inspect/scan.ts";
import { command } from "../command-spec.ts";
import { errorText, readInput } from "../input.ts";

/** JSON with every non-ASCII character escaped, as Python's json.dumps: nothing raw reaches a terminal. */
const asciiJson = (x: unknown) => JSON.stringify(x).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));

/** How a finding's name reads in the text report. */
const findingName = (f: Finding) => (f.pickled === undefined ? "" : `${shownName(f.pickled)} → `) + shownName(f.name);

interface Args {
  files: string[];
  json: boolean;
}

export const scanCommand = command<Args>({
  name: "scan",
  describe: "report the globals pickles import or call (exit 0 clean, 1 findings, 2 unreadable)",
  positionals: [{ name: "files", array: true }],
  options: {
    json: { type: "boolean", default: false, describe: "one JSON object per file" },
  },
  run: ({ files, json }) => {
    let findingsSeen = false;
    let unreadable = false;
    for (const file of files) {
      const findings: Finding[] = [];
      let error: string | undefined;
      let pickles = 0;
      try {
        const data = readInput(file);
        let pos = 0;
        while (pos < data.length && error === undefined) {
          const report = scan(data, pos);
          pickles++;
          for (const f of report.findings) findings.push(f);
          if (report.error) error = `${errorText(report.error.message)} (offset ${report.error.offset})`;
          pos = report.end;
        }
        if (data.length === 0) error = "empty file";
      } catch (e) {
        error = errorText(e);
      }
      const count = (v: Finding["verdict"]) => findings.filter((f) => f.verdict === v).length;
      if (findings.some((f) => f.verdict !== "safe-stdlib")) findingsSeen = true;
      if (error !== undefined) unreadable = true;
      if (json) {
        process.stdout.write(asciiJson({ file, pickles, findings, error: error ?? null }) + "\n");
        continue;
      }
      for (const f of findings) process.stdout.write(`${file}:${f.offset}: ${f.verdict} ${findingName(f)} (${f.opcode}) — ${errorText(f.reason)}\n`);
      if (error !== undefined) process.stdout.write(`${file}: unreadable: ${error}\n`);
      process.stdout.write(
        `${file}: ${pickles} pickle${pickles === 1 ? "" : "s"}, ${findings.length} global${findings.length === 1 ? "" : "s"}: ` +
          `${count("dangerous")} dangerous, ${count("unknown")} unknown, ${count("safe-stdlib")} safe-stdlib\n`,
      );
    }
    process.exitCode = findingsSeen ? 1 : unreadable ? 2 : 0;
  },
});
