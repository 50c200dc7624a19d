/**
 * The ONE home of money arithmetic on the server: every division, allocation and parse of an amount
 * or a rate is a named rule below, and nothing else divides money (src/platform/money.ts is the Money
 * type and its display). Amounts and rates are integers (minor units, basis points); products go
 * through BigInt and every quotient is rounded explicitly, half-up. Which rule serves which use, and
 * why half-up: docs/pricing.md, "Money maths".
 */

function assertNonNegativeInteger(name: string, value: number): bigint {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative safe integer, got ${value}`);
  return BigInt(value);
}

function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`amount ${value} exceeds the safe integer range`);
  return Number(value);
}

/** value × multiplier ÷ divisor as an exact quotient and remainder. */
function mulDivExact(
  value: number,
  multiplier: number,
  divisor: number,
): { quotient: bigint; remainder: bigint; denominator: bigint } {
  const numerator = assertNonNegativeInteger("value", value) * assertNonNegativeInteger("multiplier", multiplier);
  const denominator = assertNonNegativeInteger("divisor", divisor);
  if (denominator === 0n) throw new RangeError("divisor must be positive");
  return { quotient: numerator / denominator, remainder: numerator % denominator, denominator };
}

/** round(value × multiplier / divisor), ties rounded up. */
export function mulDivRoundHalfUp(value: number, multiplier: number, divisor: number): number {
  const { quotient, remainder, denominator } = mulDivExact(value, multiplier, divisor);
  return toSafeNumber(remainder * 2n >= denominator ? quotient + 1n : quotient);
}

/** floor(value × multiplier / divisor): used for proportional shares whose remainder is handed out explicitly. */
export function mulDivFloor(value: number, multiplier: number, divisor: number): number {
  return toSafeNumber(mulDivExact(value, multiplier, divisor).quotient);
}

/** value × multiplier, exactly, or a RangeError when the result is not a safe integer. */
export function multiplyExact(value: number, multiplier: number): number {
  return toSafeNumber(assertNonNegativeInteger("value", value) * assertNonNegativeInteger("multiplier", multiplier));
}

/** Sum of non-negative integers, checked for the safe range. */
export function sumExact(values: readonly number[]): number {
  return toSafeNumber(values.reduce((total, value) => total + assertNonNegativeInteger("value", value), 0n));
}

/**
 * A cart discount across its lines: each gets floor(amount × line / subtotal); the cents left over
 * go to the largest line (ties: the earlier one) as far as it holds, then to the next largest.
 * Shares follow `lineTotals`' order, sum to `amount` and never exceed a line.
 */
export function allocateLargestLineFirst(amount: number, lineTotals: readonly number[]): number[] {
  const subtotal = sumExact(lineTotals);
  if (amount > subtotal) throw new RangeError(`cannot allocate ${amount} over ${subtotal}`);
  if (amount === 0 || subtotal === 0) return lineTotals.map(() => 0);
  const shares = lineTotals.map((total) => mulDivFloor(amount, total, subtotal));
  let left = amount - sumExact(shares);
  // a stable sort keeps the earlier line first on ties
  const order = lineTotals.map((total, index) => ({ total, index })).sort((a, b) => b.total - a.total);
  for (const { total, index } of order) {
    if (left === 0) break;
    const give = Math.min(total - (shares[index] ?? 0), left);
    shares[index] = (shares[index] ?? 0) + give;
    left -= give;
  }
  return shares;
}

/**
 * Largest remainder: each weight gets floor(amount × weight / Σ weights); the cents left over go
 * one each to the largest remainders (ties: the earlier entry). Shares follow `weights`' order and
 * sum to `amount` when the weights do not sum to 0 (then the first `amount` entries get a cent).
 */
export function allocateLargestRemainder(amount: number, weights: readonly number[]): number[] {
  const total = sumExact(weights);
  assertNonNegativeInteger("amount", amount);
  const exact = weights.map((weight) =>
    total === 0 ? { quotient: 0n, remainder: 0n } : mulDivExact(amount, weight, total),
  );
  const shares = exact.map((share) => toSafeNumber(share.quotient));
  let left = amount - sumExact(shares);
  // a stable sort keeps the earlier entry first on ties
  const byRemainder = exact
    .map((share, index) => ({ remainder: share.remainder, index }))
    .sort((a, b) => (a.remainder === b.remainder ? 0 : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of byRemainder) {
    if (left <= 0) break;
    shares[index] = (shares[index] ?? 0) + 1;
    left -= 1;
  }
  return shares;
}

/** An admin's percent (12.5) as basis points (1250); callers accept at most two decimals (`isWholeBasisPoints`). */
export const percentToBasisPoints = (percent: number): number => Math.round(percent * 100);

/** Basis points (1250) as the percent an admin reads (12.5). */
export const basisPointsToPercent = (basisPoints: number): number => basisPoints / 100;

/** Whether a percent has at most two decimals, i.e. is a whole number of basis points (float noise aside). */
export const isWholeBasisPoints = (percent: number): boolean => Number.isInteger(Math.round(percent * 1e6) / 1e4);
