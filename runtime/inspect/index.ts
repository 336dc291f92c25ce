// typed-pickle/inspect: look inside pickles without building them — pickletools' listing (dis), the
// globals a pickle would import or call (scan), Python's repr() and tagged JSON of a value. Portable
// like the core: no node: module, no Buffer required.
export { dis, DisError, type DisResult } from "./dis.ts";
export { genops, GenopsError, type Op, type OpArg } from "./genops.ts";
export { scan, classifyGlobal, type Verdict, type Finding, type ScanReport } from "./scan.ts";
export { pyRepr, ReprTooLongError } from "../format/repr.ts";
export { toTagged, stringifyTagged, TaggedTooLongError, type Tagged } from "../format/tagged-json.ts";
export { fromTagged } from "../format/from-tagged.ts";
