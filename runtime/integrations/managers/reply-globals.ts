// The allowlist replies are read with: the standard reductions (or a result codec's classes), plus
// the two globals a manager server itself writes — Token in #PROXY replies, and builtins.list, which
// multiprocessing's ForkingPickler uses for dict views (`d.keys()` is sent as `list([...])`).
import type { PyValue } from "../../model/value.ts";
import { type GlobalHandler, type GlobalRegistry, ReductionError } from "../../reader/globals.ts";
import { STANDARD_GLOBALS } from "../../reader/standard-globals.ts";
import type { Codec } from "../../typed/codec.ts";
import { registryFor } from "../../typed/io.ts";
import { TOKEN_GLOBAL, TOKEN_HANDLER } from "./token.ts";

/** Bytes charged per list slot copied (as the reader charges a list slot). */
const SLOT_BYTES = 8;

/** `list(items)` where items is a list, as `rebuild_as_list` in multiprocessing/managers.py writes it: a copy. */
const listOfList: GlobalHandler = {
  call: (args, ctx) => {
    const [items] = args;
    if (args.length !== 1 || !Array.isArray(items)) throw new ReductionError("builtins.list in a manager reply takes one list (a dict view sent as a list)");
    ctx.charge(SLOT_BYTES * items.length);
    return items.slice() as PyValue[];
  },
};

function withManagerGlobals(base: GlobalRegistry): GlobalRegistry {
  return new Map(base).set(TOKEN_GLOBAL.qualifiedName, TOKEN_HANDLER).set("builtins.list", listOfList);
}

const UNTYPED: GlobalRegistry = withManagerGlobals(STANDARD_GLOBALS);
const typedRegistries = new WeakMap<Codec<unknown>, GlobalRegistry>();

/** The allowlist for a reply whose result is read by `codec` (or untyped). */
export function replyRegistry(codec: Codec<unknown> | undefined): GlobalRegistry {
  if (codec === undefined) return UNTYPED;
  let registry = typedRegistries.get(codec);
  if (registry === undefined) {
    registry = withManagerGlobals(registryFor(codec));
    typedRegistries.set(codec, registry);
  }
  return registry;
}
