/**
 * Exact decimals for the tests' own recomputations, as BigInt scaled
 * integers: independent of the big.js helpers the machines use, so that a bug
 * there cannot hide behind the same bug here.
 */

/** A decimal `n / 10^s`. */
export interface Exact {
  n: bigint;
  s: number;
}

const TEXT = /^(-?)(\d+)(?:\.(\d+))?$/;

/** The plain digits of a JS number, exponent notation expanded. */
function numberText(x: number): string {
  const text = String(x);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;

  const [, sign, whole, fraction = '', power] = match;
  const digits = `${whole}${fraction}`;
  const point = whole!.length + Number(power);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) {
    return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  }

  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Reads a decimal given as a JSON number or a decimal string. */
export function exact(x: string | number): Exact {
  const text = typeof x === 'number' ? numberText(x) : x.trim();
  const match = TEXT.exec(text);
  if (!match) throw new TypeError(`not a decimal: ${text}`);

  const fraction = match[3] ?? '';
  const n = BigInt(`${match[2]}${fraction}`);

  return { n: match[1] ? -n : n, s: fraction.length };
}

function scaled(a: Exact, s: number): bigint {
  return a.n * 10n ** BigInt(s - a.s);
}

/** a + b. */
export function plus(a: Exact, b: Exact): Exact {
  const s = Math.max(a.s, b.s);

  return { n: scaled(a, s) + scaled(b, s), s };
}

/** a − b. */
export function minus(a: Exact, b: Exact): Exact {
  return plus(a, { n: -b.n, s: b.s });
}

/** a × b. */
export function times(a: Exact, b: Exact): Exact {
  return { n: a.n * b.n, s: a.s + b.s };
}

/** -1, 0 or 1 as a is below, equal to or above b. */
export function cmp(a: Exact, b: Exact): -1 | 0 | 1 {
  const s = Math.max(a.s, b.s);
  const d = scaled(a, s) - scaled(b, s);

  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** The sum of decimals given in any form. */
export function total(xs: readonly (string | number | Exact)[]): Exact {
  return xs.reduce<Exact>(
    (sum, x) => plus(sum, typeof x === 'object' ? x : exact(x)),
    { n: 0n, s: 0 },
  );
}

/** The canonical text: no exponent, no trailing zeros, "0" for zero. */
export function text(a: Exact): string {
  if (a.n === 0n) return '0';

  const negative = a.n < 0n;
  const digits = (negative ? -a.n : a.n).toString().padStart(a.s + 1, '0');
  const whole = digits.slice(0, digits.length - a.s);
  const fraction = digits.slice(digits.length - a.s).replace(/0+$/, '');

  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** The canonical text of a decimal given in any form. */
export function canon(x: string | number): string {
  return text(exact(x));
}
