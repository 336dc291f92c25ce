// "an Order", "a User": the article before a class name, in generated comments and messages and in
// the runtime's "got a …" messages (runtime/format/indefinite-article.ts: a vowel letter takes "an",
// except an acronym read letter by letter and a "u" said "you").
import { readFileSync } from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PicklingError, T, dumps, dumpsTyped, loadStream, loads } from "typed-pickle";
import { loadsPair } from "../../generated/catalog.ts";
import { withArticle } from "../../runtime/format/indefinite-article.ts";
import { AddressCodec, UserCodec } from "../../generated/user.ts";
import { Address, User } from "../../schemas/user.ts";
import { REPO } from "../support/cli.ts";
import { fromHex } from "../support/python.ts";
import { refusal } from "../support/refusal.ts";

const test = suite("a / an");

test("by the first letter, acronyms by their letters' names, a 'u' said 'you' takes 'a'", () => {
  const cases: Record<string, string> = {
    Order: "an Order",
    Address: "an Address",
    Everything: "an Everything",
    object: "an object",
    User: "a User",
    Unit: "a Unit",
    Uint8Array: "a Uint8Array",
    Update: "an Update",
    Umbrella: "an Umbrella",
    UUID: "a UUID",
    HTTPError: "an HTTPError",
    SlotPoint: "a SlotPoint",
    Map: "a Map",
  };
  for (const [word, expected] of Object.entries(cases)) assert.is(withArticle(word), expected);
});

test("generated comments and messages", () => {
  const user = readFileSync(`${REPO}generated/user.ts`, "utf8");
  assert.not.match(user, /\ba [AEIO]/);
  assert.match(refusal(() => dumpsTyped(AddressCodec, new User() as never), PicklingError).message, /expected an Address instance$/);
  assert.match(refusal(() => dumpsTyped(UserCodec, new Address() as never), PicklingError).message, /expected a User instance$/);
});

test("the runtime's 'got …' names the value's class with its article", () => {
  const e = refusal(() => dumpsTyped(T.str, new Address() as never), PicklingError);
  assert.match(e.message, /got an Address$/);
  assert.match(refusal(() => dumpsTyped(T.datetime, new Address() as never), PicklingError).message, /expected a PyDateTime for datetime\.datetime, got an Address$/);
});

test("the reader's and writer's messages too", async () => {
  class Order {}
  assert.match(refusal(() => dumps(new Order() as never), PicklingError).message, /an Order cannot be pickled/);
  // copyreg.__newobj__(5): the class argument is an int.
  assert.match(refusal(() => loads(fromHex("800263636f70797265670a5f5f6e65776f626a5f5f0a4b0585522e"))).message, /an int cannot be constructed here/);
  // A namedtuple-style Pair with a BUILD state as well: the state is an int.
  assert.match(refusal(() => loadsPair(fromHex("8002636d796170702e636174616c6f670a506169720a58010000006b4b0186814b05622e"))).message, /a state \(BUILD\) of an int;/);
  const chunks = (async function* () {
    yield {} as Uint8Array;
  })();
  let message = "";
  try {
    for await (const value of loadStream(chunks)) void value;
  } catch (e) {
    message = (e as Error).message;
  }
  assert.match(message, /stream chunk is an Object, not bytes/);
});

test.run();
