/**
 * Exact decimal arithmetic for quantities and money (SYNC-RULES §2, §6).
 *
 * Values travel as canonical decimal strings: no exponent, no trailing zeros in
 * the fraction, no leading '+', and zero is always "0" (never "-0"). Arithmetic
 * goes through a private big.js constructor, never through JS numbers.
 */
import Big from 'big.js';

/** A big.js constructor of our own, so settings never leak to other users of big.js. */
const D = Big();
// The widest exponent range big.js allows: toString() never switches to exponent notation.
D.NE = -1e6;
D.PE = 1e6;

function big(x: string | number): Big.Big {
  return new D(x);
}

function canonical(value: Big.Big): string {
  if (value.eq(0)) return '0';
  return value.toString();
}

/**
 * The canonical form of a decimal given as a string or a JS number:
 * "3.50" → "3.5", "-0" → "0", 1e21 → "1000000000000000000000".
 * Throws on text that is not a decimal number.
 */
export function toDecimalString(x: string | number): string {
  if (typeof x === 'number' && !Number.isFinite(x)) {
    throw new TypeError(`not a finite number: ${String(x)}`);
  }
  return canonical(big(typeof x === 'number' ? String(x) : x));
}

/** The exact sum of any number of decimals ("0" for none). */
export function addDecimals(...xs: string[]): string {
  return sumDecimals(xs);
}

/** The exact sum of a list of decimals ("0" for an empty list). */
export function sumDecimals(xs: readonly string[]): string {
  let total = big(0);
  for (const x of xs) total = total.plus(big(x));
  return canonical(total);
}

/** a − b, exactly. */
export function subDecimals(a: string, b: string): string {
  return canonical(big(a).minus(big(b)));
}

/** a × b, exactly. */
export function mulDecimals(a: string, b: string): string {
  return canonical(big(a).times(big(b)));
}

/** -1 when a < b, 0 when they are equal, 1 when a > b. */
export function compareDecimals(a: string, b: string): -1 | 0 | 1 {
  const c = big(a).cmp(big(b));
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/** Whether the decimal equals zero. */
export function isZero(x: string): boolean {
  return big(x).eq(0);
}

/** Whether the decimal is below zero ("-0" is not). */
export function isNegative(x: string): boolean {
  return big(x).lt(0);
}
