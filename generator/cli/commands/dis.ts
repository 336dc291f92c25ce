// `typed-pickle dis FILE...`: the listing `python3 -m pickletools FILE` prints, for every pickle in
// the file (pickletools shows only the first).
import { DisError, dis } from "../../../runtime/inspect/dis.ts";
import { command } from "../command-spec.ts";
import { errorText, readInput } from "../input.ts";

interface Args {
  files: string[];
  indentlevel: number;
}

export const disCommand = command<Args>({
  name: "dis",
  describe: "disassemble pickles as pickletools does",
  positionals: [{ name: "files", array: true }],
  options: {
    indentlevel: { alias: "l", type: "number", default: 4, describe: "blanks per MARK level" },
  },
  run: ({ files, indentlevel }) => {
    let status = 0;
    for (const file of files) {
      if (files.length > 1) process.stdout.write(`==> ${file} <==\n`);
      let data: Uint8Array;
      try {
        data = readInput(file);
      } catch (e) {
        process.stderr.write(`${file}: ${errorText(e)}\n`);
        status = 2;
        continue;
      }
      // Lines go out in chunks as they are made: a listing is many times the pickle's size.
      let chunk = "";
      const print = (line: string) => {
        chunk += line + "\n";
        if (chunk.length >= 1 << 16) flush();
      };
      const flush = () => {
        process.stdout.write(chunk);
        chunk = "";
      };
      let pos = 0;
      do {
        try {
          pos = dis(data, pos, indentlevel, print).end;
        } catch (e) {
          if (!(e instanceof DisError)) throw e;
          flush();
          process.stderr.write(`${file}: ${errorText(e)} (offset ${e.pos})\n`);
          status = 2;
          break;
        }
      } while (pos < data.length);
      flush();
    }
    process.exitCode = status;
  },
});
