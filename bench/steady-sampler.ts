// The steady-state sampling policy, one implementation for both sides: warm up until the timings
// settle, then time consecutive runs. The orchestrator applies it to CPython and to typed-pickle
// alike, one call per request, so neither side is timed differently from the other.

export interface SamplingPolicy {
  /** Warm-up windows: the median of the last `window` runs against the median of the `window` before. */
  window: number;
  /** Settled when the two window medians differ by less than this fraction. */
  tolerance: number;
  /** Warm-up stops anyway after this many runs or seconds (then `settled` is false). */
  maxWarmupRuns: number;
  maxWarmupSeconds: number;
  /** Consecutive runs timed after the warm-up. */
  runs: number;
}

export interface Sample {
  /** The measured runs' seconds, in order. */
  times: number[];
  /** The warm-up runs' seconds, in order (the first is the first call of this block). */
  warmup: number[];
  settled: boolean;
}

export const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Warm-up until stable, then `policy.runs` consecutive timed runs of `runOnce` (which answers seconds). */
export async function sampleSteadyState(runOnce: () => Promise<number>, policy: SamplingPolicy): Promise<Sample> {
  const warmup: number[] = [];
  const started = performance.now();
  let settled = false;
  while (warmup.length < policy.maxWarmupRuns && (performance.now() - started) / 1000 < policy.maxWarmupSeconds) {
    warmup.push(await runOnce());
    const n = warmup.length;
    if (n < 2 * policy.window) continue;
    const last = median(warmup.slice(n - policy.window));
    const before = median(warmup.slice(n - 2 * policy.window, n - policy.window));
    if (Math.abs(last - before) / before < policy.tolerance) {
      settled = true;
      break;
    }
  }
  const times: number[] = [];
  for (let i = 0; i < policy.runs; i++) times.push(await runOnce());
  return { times, warmup, settled };
}
