/**
 * The ONE place where money is divided. Every amount and rate is an integer (minor units, basis
 * points); products go through BigInt so that nothing silently loses precision past 2^53, and the
 * quotient is rounded explicitly: half-up (ties away from zero — all amounts here are ≥ 0), the
 * "commercial rounding" the seeded tax authorities (EU VAT, US states) expect. See docs/pricing.md.
 */

function assertNonNegativeInteger(name: string, value: number): bigint {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative safe integer, got ${value}`);
  return BigInt(value);
}

function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`amount ${value} exceeds the safe integer range`);
  return Number(value);
}

/** round(value × multiplier / divisor), ties rounded up. */
export function mulDivRoundHalfUp(value: number, multiplier: number, divisor: number): number {
  const numerator = assertNonNegativeInteger("value", value) * assertNonNegativeInteger("multiplier", multiplier);
  const denominator = assertNonNegativeInteger("divisor", divisor);
  if (denominator === 0n) throw new RangeError("divisor must be positive");
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  return toSafeNumber(remainder * 2n >= denominator ? quotient + 1n : quotient);
}

/** floor(value × multiplier / divisor): used for proportional shares whose remainder is handed out explicitly. */
export function mulDivFloor(value: number, multiplier: number, divisor: number): number {
  const numerator = assertNonNegativeInteger("value", value) * assertNonNegativeInteger("multiplier", multiplier);
  const denominator = assertNonNegativeInteger("divisor", divisor);
  if (denominator === 0n) throw new RangeError("divisor must be positive");
  return toSafeNumber(numerator / denominator);
}

/** value × multiplier, exactly, or a RangeError when the result is not a safe integer. */
export function multiplyExact(value: number, multiplier: number): number {
  return toSafeNumber(assertNonNegativeInteger("value", value) * assertNonNegativeInteger("multiplier", multiplier));
}

/** Sum of non-negative integers, checked for the safe range. */
export function sumExact(values: readonly number[]): number {
  return toSafeNumber(values.reduce((total, value) => total + assertNonNegativeInteger("value", value), 0n));
}
