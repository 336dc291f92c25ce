// The portable core in a browser: the consumer project's app (fixtures/shop/browser/app.ts: the
// generated codec plus loads/dumps from the installed package) bundled by esbuild for the browser and
// run in headless Chromium. It loads pickles CPython wrote (embedded in the page), dumps them back and
// dumps a typed instance; CPython checks the bytes. The page reports into the DOM, errors included.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { EXPECTED_ORDER, FIXTURES, consumerEnv, orderProblems, pythonCheck, pythonOrders, run, scratchDir, shopProject } from "../support/consumer.ts";
import { runPython } from "../support/python.ts";

const test = suite("browser: the packed package bundled for and run in headless Chromium");

const base64 = (file: string) => readFileSync(file).toString("base64");

/** Opens the page in headless Chromium and returns what it left in #result (parsed JSON). */
function openInChromium(page: string): { ok?: BrowserResult; error?: string } {
  const r = spawnSync(
    "chromium",
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage", // containers often give /dev/shm only 64 MB
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--allow-file-access-from-files", // lets the page load its module script from file://
      `--user-data-dir=${mkdtempSync(join(scratchDir(), "chromium-profile-"))}`,
      "--virtual-time-budget=10000",
      "--dump-dom",
      `file://${page}`,
    ],
    { env: consumerEnv(), encoding: "utf8", maxBuffer: 1 << 28, timeout: 120_000, killSignal: "SIGKILL" },
  );
  if (r.error) throw new Error(`chromium could not run (.ci/run installs Debian's chromium package): ${r.error.message}`);
  const found = /<pre id="result">([\s\S]*?)<\/pre>/.exec(r.stdout);
  const text = found?.[1]?.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  if (text === undefined || text === "pending") {
    throw new Error(`the page never reported (chromium exit ${r.status}, signal ${r.signal})\n--- stderr\n${r.stderr.slice(-4000)}`);
  }
  return JSON.parse(text) as { ok?: BrowserResult; error?: string };
}

interface BrowserResult {
  orders: { described: unknown; roundTrip: string; written: string }[];
  plain: string;
  hasBuffer: boolean;
}

test("the app type-checks against the core's .d.ts with DOM types and no Node types", () => {
  run("npx", ["tsc", "-p", "browser/tsconfig.json"], shopProject().dir);
});

test("esbuild --platform=browser bundles it with no node: import; in Chromium it loads, round-trips and dumps as CPython does", () => {
  const { dir } = shopProject();
  const browser = join(dir, "browser");
  // A target is needed: at esnext esbuild leaves the schema's decorators as written, and no browser runs them yet.
  run("npx", ["esbuild", "browser/app.ts", "--bundle", "--platform=browser", "--format=esm", "--target=es2022", "--outfile=browser/app.js", "--log-level=warning"], dir);
  const bundle = readFileSync(join(browser, "app.js"), "utf8");
  assert.not.match(bundle, /["']node:[\w/]+["']/, "the browser bundle names a node: module");
  assert.match(bundle, /shop\.models/, "the bundle holds the generated codec");

  const pickles = pythonOrders("browser");
  runPython(["consumer_shop.py", "plain-write", join(pickles, "plain.pkl")]);
  const input = {
    orders: [0, 1, 2, 3, 4, 5].map((p) => base64(join(pickles, `py-${p}.pkl`))),
    plain: base64(join(pickles, "plain.pkl")),
  };
  const html = readFileSync(join(browser, "index.html"), "utf8").replace("PICKLES_JSON", JSON.stringify(input));
  writeFileSync(join(browser, "index.html"), html);

  const page = openInChromium(join(browser, "index.html"));
  if (page.error !== undefined) assert.unreachable(`the page failed: ${page.error}`);
  const result = page.ok!;
  assert.is(result.hasBuffer, false, "a browser has no Buffer: the core ran without it");
  assert.is(result.orders.length, 6);
  result.orders.forEach((order, protocol) => {
    assert.equal(order.described, EXPECTED_ORDER, `protocol ${protocol}`);
    writeFileSync(join(pickles, `rt-${protocol}.pkl`), Buffer.from(order.roundTrip, "base64"));
    writeFileSync(join(pickles, `ts-${protocol}.pkl`), Buffer.from(order.written, "base64"));
  });
  const problems = orderProblems(pickles);
  assert.equal(problems, [], problems.join("\n"));
  writeFileSync(join(pickles, "plain-back.pkl"), Buffer.from(result.plain, "base64"));
  const plainProblem = pythonCheck(join(pickles, "plain-back.pkl"), 4, "plain");
  assert.is(plainProblem, "", plainProblem);
});

test("an exception in the page fails with its message, not a timeout", () => {
  const dir = mkdtempSync(join(scratchDir(), "page-error-"));
  writeFileSync(join(dir, "index.html"), readFileSync(join(FIXTURES, "shop", "browser", "index.html"), "utf8"));
  writeFileSync(join(dir, "app.js"), 'throw new RangeError("deliberately broken page");\n');
  const page = openInChromium(join(dir, "index.html"));
  assert.match(page.error ?? "", /RangeError: deliberately broken page/);
});

test.run();
