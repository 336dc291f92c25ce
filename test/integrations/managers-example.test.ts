// examples/managers.ts runs as documented: a queue shared by Node and a Python process through a real
// multiprocessing manager, the typed User going there and back.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";

const test = suite("integrations/managers-example");

const REPO = fileURLToPath(new URL("../../", import.meta.url));

test("examples/managers.ts", () => {
  const run = spawnSync(process.execPath, ["--import", "tsx", "examples/managers.ts"], {
    cwd: REPO,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, NODE_OPTIONS: "--conditions=typed-pickle-source" },
  });
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, "Node put:      Ada, 36");
  assert.match(run.stdout, "Python got:    myapp.models.User(name=Ada, age=36)");
  assert.match(run.stdout, 'Node got back: Ada (seen by Python), 37, hobbies ["python"] (a User)');
});

test.run();
