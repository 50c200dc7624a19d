/** D1 binds at most 100 parameters per statement: long lists (inserted rows, `IN (…)` values) go in slices of `size`. */
export function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}
