// The allowlist a reader uses when given none: the standard library's reductions and numpy's
// arrays, dtypes and scalars. Both are interpreted by our own handlers (nothing named by a pickle
// is called) and check every size before allocating, so reading numpy's globals widens nothing;
// numpy's are the most frequent globals in real pickles. `globals: STANDARD_GLOBALS` leaves numpy out.
import { NUMPY_GLOBALS } from "../numpy/read-globals.ts";
import type { GlobalRegistry } from "./globals.ts";
import { STANDARD_GLOBALS } from "./standard-globals.ts";

export const DEFAULT_GLOBALS: GlobalRegistry = new Map([...STANDARD_GLOBALS, ...NUMPY_GLOBALS]);
