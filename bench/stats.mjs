// Small statistics for the benchmark: medians and spreads of interleaved runs.
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const round2 = (value) => Math.round(value * 100) / 100;

/** The median ratio and its spread (min–max) over the pairs. */
export function summarise(ratios) {
  return {
    ratioToHello: round2(median(ratios)),
    ratioMin: round2(Math.min(...ratios)),
    ratioMax: round2(Math.max(...ratios)),
    ratios: ratios.map(round2),
  };
}
