// examples/connection.ts runs: python/mp_send_users.py sends three myapp.models.User records to the
// Node listener, which prints them and answers with a summary Python prints.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";

const test = suite("integrations/connection: the example");

const EXAMPLE = fileURLToPath(new URL("../../examples/connection.ts", import.meta.url));

test("examples/connection.ts receives the Python client's users and answers", async () => {
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ["--import", "tsx", EXAMPLE], { timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
  assert.is(out, ["Ada, 36, chess and lace, zip 10101", "Grace, 45, cobol", "Linus, 28, no hobbies", "python got: 3 users, mean age 36.333333333333336", ""].join("\n"));
});

test.run();
