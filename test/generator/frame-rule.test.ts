// The FRAME rule holds on the typed fast path too: a read that starts inside a frame must end inside
// it (runtime/reader/frame-check.ts). The exact reader reads values, not opcodes, so it once accepted
// pickles whose frame ended inside an opcode, which the general reader refuses.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { T, UnpicklingError, dumpsTyped, loadsTyped } from "typed-pickle";
import { framesRespected } from "../../runtime/reader/frame-check.ts";
import { UserCodec, dumpsUser, loadsUser } from "../../generated/user.ts";
import { Address, User } from "../../schemas/user.ts";
import { PyDateTime } from "typed-pickle";

const test = suite("the FRAME rule on the typed fast path");

const makeUser = (i: number) =>
  Object.assign(new User(), {
    name: `user ${i}`,
    age: 20 + (i % 50),
    score: i / 7,
    hobbies: ["chess", `hobby ${i}`],
    isActive: i % 2 === 0,
    address: Object.assign(new Address(), { street: `${i} Main St`, zip: "12345" }),
    created: new PyDateTime(2024, 1, 1 + (i % 28), 3, 4, 5, i),
  });

/** The outcome of a load: the error's message, or "ok". */
function outcome(load: () => unknown): string {
  try {
    load();
    return "ok";
  } catch (e) {
    if (!(e instanceof UnpicklingError)) throw e;
    return e.message;
  }
}

/** The first FRAME's 8-byte length, rewritten. */
function withFrameLength(data: Uint8Array, at: number, length: number): Uint8Array {
  const copy = new Uint8Array(data);
  assert.is(copy[at], 0x95);
  new DataView(copy.buffer).setBigUint64(at + 1, BigInt(length), true);
  return copy;
}

test("one user: every shortened frame is judged as the general reader judges it", () => {
  const data = dumpsUser(makeUser(1));
  const length = Number(new DataView(data.buffer, data.byteOffset).getBigUint64(3, true));
  let refused = 0;
  for (let shorter = 1; shorter < length; shorter++) {
    const bad = withFrameLength(data, 2, length - shorter);
    const general = outcome(() => loadsUser(bad, { limits: {} })); // any option but strict: general path
    const fast = outcome(() => loadsUser(bad));
    assert.is(fast, general, `frame ${shorter} bytes short`);
    if (/crosses the end of its FRAME/.test(general)) refused++;
    assert.is(framesRespected(bad), general === "ok", `framesRespected, frame ${shorter} bytes short`);
  }
  assert.ok(refused > 0, "some shortened frames end inside an opcode");
});

test("many frames (CPython's 64 KiB frames): accepted; a later frame moved into an opcode is refused", () => {
  const users = Array.from({ length: 2000 }, (_, i) => makeUser(i));
  const codec = T.list(UserCodec);
  const data = dumpsTyped(codec, users);
  assert.ok(framesRespected(data));
  assert.is(loadsTyped(codec, data).length, 2000);
  // The first frame grown over the second FRAME opcode (9 bytes) and one byte more: the second
  // begins before the first ends.
  const firstLength = Number(new DataView(data.buffer, data.byteOffset).getBigUint64(3, true));
  assert.is(data[11 + firstLength], 0x95, "a second frame right after the first");
  const bad = withFrameLength(data, 2, firstLength + 10);
  const general = outcome(() => loadsTyped(codec, bad, { limits: {} }));
  assert.match(general, /beginning of a new frame before end of current frame/);
  assert.is(
    outcome(() => loadsTyped(codec, bad)),
    general,
  );
});

test.run();
