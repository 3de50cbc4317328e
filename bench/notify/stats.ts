/** Percentiles and summary rows of the notify benchmark. */

/** Nearest-rank percentile of an ascending array; NaN when empty, Infinity when it lands on a probe that never arrived. */
export const pct = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

export const round = (n: number): number | null => (Number.isFinite(n) ? Math.round(n * 10) / 10 : null);

export interface LatencyRow {
  path: string;
  /** Probes counted (warm-up excluded), arrived or not. */
  n: number;
  /** Probes whose notification did not arrive within the wait: they count as +∞ in the percentiles. */
  missing: number;
  /** null: not a finite figure (the percentile falls on a missing probe, or no sample). */
  p50_ms: number | null;
  p90_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
}

/** A row from per-probe latencies; `undefined` is a probe that never arrived (+∞). */
export function latencyRow(path: string, xs: ReadonlyArray<number | undefined>): LatencyRow {
  const sorted = xs.map((x) => x ?? Infinity).sort((a, b) => a - b);
  return {
    path,
    n: xs.length,
    missing: xs.filter((x) => x === undefined).length,
    p50_ms: round(pct(sorted, 50)),
    p90_ms: round(pct(sorted, 90)),
    p99_ms: round(pct(sorted, 99)),
    max_ms: round(sorted[sorted.length - 1] ?? NaN),
  };
}

/** p50 and p99 of the samples that exist (a breakdown step), ms. */
export function p50p99(xs: readonly number[]): { n: number; p50_ms: number | null; p99_ms: number | null } {
  const sorted = [...xs].sort((a, b) => a - b);
  return { n: sorted.length, p50_ms: round(pct(sorted, 50)), p99_ms: round(pct(sorted, 99)) };
}
