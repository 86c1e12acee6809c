import { type Decimal, dec } from '../../decimal/decimal';

/** Money units convert into each other; any other unit only matches itself. */
const MONEY_FACTORS: Record<string, string> = { 元: '1', 千元: '1000', 万元: '10000', 亿元: '100000000' };
const SYNONYMS: Record<string, string> = { 日: '天', 个百分点: '%' };

export interface Quantity {
  /** plain decimal text */
  value: string;
  /** null when no unit was written */
  unit: string | null;
}

function canonicalUnit(unit: string | null): string | null {
  if (unit === null || unit === '') return null;
  return SYNONYMS[unit] ?? unit;
}

export type Comparable = { ok: true; values: Decimal[] } | { ok: false; units: string[] };

/**
 * Brings quantities to one scale so they can be compared. A quantity without a unit takes the unit of
 * the others (a department writes "6" against a target of "5-20 条"); money converts; anything else
 * that differs is a mismatch, never a silent zero.
 */
export function toCommonScale(quantities: readonly Quantity[]): Comparable {
  const units = [
    ...new Set(quantities.map((q) => canonicalUnit(q.unit)).filter((u): u is string => u !== null)),
  ];
  if (units.length <= 1) return { ok: true, values: quantities.map((q) => dec(q.value)) };
  // Money converts; a bare number beside amounts written in different money units is ambiguous.
  const allHaveUnits = quantities.every((q) => canonicalUnit(q.unit) !== null);
  if (allHaveUnits && units.every((u) => u in MONEY_FACTORS)) {
    return {
      ok: true,
      values: quantities.map((q) => dec(q.value).times(MONEY_FACTORS[canonicalUnit(q.unit) as string])),
    };
  }
  return { ok: false, units };
}
