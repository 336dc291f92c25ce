// Makes every venv the tests use (VENVS), so .ci/run can install them while lint, type-check and the
// benchmark run instead of inside the tests. `node --import tsx test/support/prepare-venvs.ts`
import { namedVenv, VENVS } from "./python-venv.ts";

for (const name of Object.keys(VENVS) as (keyof typeof VENVS)[]) {
  const started = Date.now();
  namedVenv(name);
  console.log(`venv ${name}: ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
