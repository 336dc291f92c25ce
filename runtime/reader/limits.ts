// Limits that keep hostile input from costing more than it should. Each has a safe default and can
// be raised per call (`limits: { maxDepth: 1e6 }`).
import type { PyValue } from "../model/value.ts";
import { PyTuple } from "../model/containers.ts";
import { isPlainDict } from "../model/plain-dict.ts";
import { forEachChild } from "../model/walk.ts";
import { PyDateTime } from "../model/datetime.ts";

export interface ReadLimits {
  /** Deepest nesting of containers and objects. CPython cannot even write past ~1000 levels. */
  maxDepth: number;
  /** Entries in the memo. */
  maxMemo: number;
  /** Items in one list, dict, set, tuple or MARK slice. */
  maxContainerItems: number;
  /** Decimal digits of an int: text INT/LONG are refused beyond it before conversion (CVE-2020-10735),
   *  LONG1/LONG4 beyond the same magnitude (their decimal printing is the quadratic part). */
  maxIntDigits: number;
  /** Bytes the reader may allocate per byte of input (plus 1 MiB). Bounds copies that reductions make
   *  of memoised values, the one way a small pickle could ask for a lot of memory. */
  allocationFactor: number;
  /** Bytes one pickle may span in a stream (loadStream / loadFrom): past it, without its STOP, the
   *  stream is refused instead of buffered further (a FRAME can claim 2^52 bytes). */
  maxPickleBytes: number;
}

export const DEFAULT_LIMITS: Readonly<ReadLimits> = Object.freeze({
  maxDepth: 10_000,
  maxMemo: 1 << 24,
  maxContainerItems: 1 << 27,
  maxIntDigits: 4300,
  allocationFactor: 64,
  maxPickleBytes: 2 ** 30,
});

/** Limits as callers pass them: any subset, and a field set to undefined keeps the default. */
export type LimitOptions = { [K in keyof ReadLimits]?: ReadLimits[K] | undefined };

/** `base` with the limits `options` sets (undefined ones skipped: a spread would copy them). */
export function withLimits<T extends Partial<ReadLimits>>(base: T, options: LimitOptions | undefined): T {
  if (options === undefined) return base; // the defaults are frozen: shared, not copied per load
  const merged = { ...base };
  if (options) for (const key of Object.keys(options) as (keyof ReadLimits)[]) if (options[key] !== undefined) merged[key] = options[key]!;
  return merged;
}

/**
 * Nesting depth of a value as a depth-first walk that visits each object once sees it (cycles do
 * not count twice). Iterative, with the children of the common containers enumerated inline (this
 * runs after every large load); stops as soon as `limit` is passed and returns limit + 1.
 */
export function measureDepth(root: PyValue, limit: number): number {
  const seen = new Set<object>();
  const values: PyValue[] = [root];
  const depths: number[] = [1];
  let deepest = 0;
  const visit = (child: PyValue, depth: number) => {
    if (child !== null && typeof child === "object" && !(child instanceof Uint8Array) && !seen.has(child)) {
      values.push(child);
      depths.push(depth);
    }
  };
  while (values.length > 0) {
    // `as PyValue`, not `!`: a None root is null, which `!` would type away; the next line checks a scalar root.
    const value = values.pop() as PyValue;
    const depth = depths.pop()!;
    if (value === null || typeof value !== "object" || seen.has(value)) continue;
    seen.add(value);
    if (depth > deepest) {
      deepest = depth;
      if (deepest > limit) return deepest;
    }
    const next = depth + 1;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) visit(value[i]!, next);
    } else if (value instanceof PyTuple) {
      const items = value.items;
      for (let i = 0; i < items.length; i++) visit(items[i]!, next);
    } else if (value instanceof Map) {
      for (const [k, v] of value) {
        if (typeof k === "object") visit(k, next);
        visit(v, next);
      }
    } else if (isPlainDict(value)) {
      // The plain mode's dict (loadsPlain).
      for (const key of Object.keys(value)) visit(value[key] as PyValue, next);
    } else {
      forEachChild(value, (child) => visit(child, next));
    }
  }
  return deepest;
}

/**
 * An upper bound of `measureDepth(value)` for a value a reduction just made (a datetime, a set, a
 * recorded call): the longest path, walked without a Set over at most `budget` children, or
 * Infinity past the budget (a value with cycles or many items is left to measureDepth).
 */
export function smallValueDepth(value: PyValue, budget = 256): number {
  // The commonest value a reduction makes is a naive datetime, a leaf: no walk (nor its closure).
  if (value instanceof PyDateTime && value.tzinfo === null) return 1;
  const left = { children: budget };
  return depthWithin(value, left);
}

function depthWithin(value: PyValue, left: { children: number }): number {
  if (value === null || typeof value !== "object" || value instanceof Uint8Array) return 0;
  let deepest = 0;
  const visit = (child: PyValue) => {
    if (--left.children < 0 || deepest === Infinity) {
      deepest = Infinity;
      return;
    }
    const depth = depthWithin(child, left);
    if (depth > deepest) deepest = depth;
  };
  if (isPlainDict(value)) {
    for (const key of Object.keys(value)) visit(value[key] as PyValue);
  } else {
    forEachChild(value, visit);
  }
  return 1 + deepest;
}
