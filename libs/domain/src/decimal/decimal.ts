import DecimalJs from 'decimal.js';

/**
 * The one decimal type of the domain. Money and scores never touch binary floats: a clone with enough
 * precision for 15-digit amounts divided by each other, rounding half-up as finance bureaus do.
 */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type Decimal = DecimalJs;

export const ZERO = new Decimal(0);
export const HUNDRED = new Decimal(100);

/** Plain decimal notation only: no exponents, no NaN/Infinity, no thousands separators, no '+'. */
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** Largest integer part we accept: 15 digits covers any district budget in 元 with room to spare. */
const MAX_INTEGER_DIGITS = 15;

export type DecimalProblem = 'MALFORMED' | 'TOO_MANY_DECIMALS' | 'TOO_LARGE';

/** Checks a decimal text against the notation and a maximum number of decimal places. */
export function checkDecimalText(text: string, maxPlaces: number): DecimalProblem | null {
  if (!PLAIN_DECIMAL.test(text)) return 'MALFORMED';
  const [integerPart, fraction = ''] = text.replace('-', '').split('.');
  if (integerPart.replace(/^0+(?=\d)/, '').length > MAX_INTEGER_DIGITS) return 'TOO_LARGE';
  if (fraction.length > maxPlaces) return 'TOO_MANY_DECIMALS';
  return null;
}

/**
 * A zero has no sign: "-0" and "-0.00" become "0" and "0.00" (places kept). decimal.js keeps the sign of
 * zero and calls it negative, so a "-0" amount would be stored, shown and exported as "-0…" and flagged
 * as a negative amount.
 */
export function unsignedZero(text: string): string {
  return /^-0+(\.0+)?$/.test(text) ? text.slice(1) : text;
}

export function dec(text: string | number | Decimal): Decimal {
  return new Decimal(text);
}

/** Rounds half-up to `places` and prints exactly that many decimals ("8.35", "10.00"); never "-0.00". */
export function fixed(value: Decimal, places = 2): string {
  return unsignedZero(value.toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toFixed(places));
}

/** Clamps into [low, high]. */
export function clamp(value: Decimal, low: Decimal, high: Decimal): Decimal {
  return Decimal.min(Decimal.max(value, low), high);
}

/** Shortest faithful text of a decimal ("5", "0.5", "1081.19"), for derivations shown to auditors. */
export function plain(value: Decimal): string {
  return unsignedZero(value.toFixed());
}
