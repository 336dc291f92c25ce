// A hint for a global the allowlist refuses while it allows a class of the same name in another
// module: the usual cause is a schema naming the wrong module (`@pyclass("shop", "Session")` for a
// class Python pickles as `shop.models.Session`), and the bare refusal does not say so.
import type { GlobalRegistry } from "./globals.ts";
import { STANDARD_GLOBALS } from "./standard-globals.ts";

/** " (the schema's Session is shop.Session: is @pyclass's module right?)", or "" when none matches. */
export function otherModuleHint(registry: GlobalRegistry, module: string, name: string): string {
  const suffix = `.${name}`;
  const found: string[] = [];
  for (const [key, handler] of registry) {
    // The standard reductions are not the schema's: a pickle's own `OrderedDict` is no typo for them.
    if (key.endsWith(suffix) && key !== `${module}${suffix}` && STANDARD_GLOBALS.get(key) !== handler) found.push(key);
  }
  return found.length === 0 ? "" : ` (the schema's ${name} is ${found.join(" or ")}: is @pyclass's module right?)`;
}
