import { normalizeText } from './normalize';
import type { Quantity } from './units';

/** What a target (目标值) says, as far as a machine can tell (docs/targets.md). */
export type ParsedTarget =
  | { form: 'RANGE'; low: Quantity; high: Quantity }
  | { form: 'AT_LEAST'; threshold: Quantity }
  | { form: 'AT_MOST'; threshold: Quantity }
  | { form: 'EQUAL'; value: Quantity }
  | { form: 'NUMBER'; value: Quantity }
  | { form: 'DEADLINE'; month: number; day: number | null }
  | { form: 'TEXT'; kind: 'EMPTY' | 'QUANTIFIED' | 'COMPOUND' | 'TEXT' };

export type Direction = 'AT_LEAST' | 'AT_MOST' | 'EQUAL';

// Longest alternatives first, so 大于等于 wins over 大于.
const byLength = (words: string[]) => [...words].sort((a, b) => b.length - a.length);
const alternation = (words: string[]) => byLength(words).map(escape).join('|');
function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const PREFIXES: Record<Direction, string[]> = {
  AT_LEAST: [
    '≥',
    '>',
    '大于等于',
    '大于或等于',
    '不低于',
    '不少于',
    '不小于',
    '大于',
    '高于',
    '多于',
    '超过',
    '至少',
    '达到',
  ],
  AT_MOST: [
    '≤',
    '<',
    '小于等于',
    '小于或等于',
    '不超过',
    '不高于',
    '不多于',
    '不大于',
    '小于',
    '低于',
    '少于',
    '至多',
    '控制在',
  ],
  EQUAL: ['=', '等于'],
};
const SUFFIXES: Record<Exclude<Direction, 'EQUAL'>, string[]> = {
  AT_LEAST: ['及以上', '或以上', '以上'],
  AT_MOST: ['及以下', '或以下', '以下', '以内', '之内', '内'],
};

const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)`;
const UNIT = String.raw`([\p{Script=Han}A-Za-z%‰°/]{0,6}?)`;
const RANGE_SEPARATOR = String.raw`(?:~|-|至|到)`;

const RANGE_PATTERN = new RegExp(`^${NUMBER}${UNIT}${RANGE_SEPARATOR}${NUMBER}${UNIT}$`, 'u');
const ALL_PREFIXES = alternation([...PREFIXES.AT_LEAST, ...PREFIXES.AT_MOST, ...PREFIXES.EQUAL]);
const ALL_SUFFIXES = alternation([...SUFFIXES.AT_LEAST, ...SUFFIXES.AT_MOST]);
const COMPARISON_PATTERN = new RegExp(`^(${ALL_PREFIXES})?${NUMBER}${UNIT}(${ALL_SUFFIXES})?$`, 'u');
const DEADLINE_PATTERN = /^(?:\d{4}年)?(\d{1,2})月(?:(\d{1,2})[日号])?(?:底|末)?(?:前|之前|以前)(?:完成)?$/u;
const YEAR_END_PATTERN = /^(?:年底|年末)(?:前|之前|以前)(?:完成)?$/u;
const QUANTIFIERS = /^(均|各|每|全部|所有|全)/u;

function quantity(value: string, unit: string | undefined): Quantity {
  return { value: value.replace(/,/g, ''), unit: unit ? unit : null };
}

function directionOf(
  word: string | undefined,
  table: Partial<Record<Direction, string[]>>,
): Direction | null {
  if (!word) return null;
  for (const [direction, words] of Object.entries(table) as Array<[Direction, string[]]>) {
    if (words.includes(word)) return direction;
  }
  return null;
}

/** A comparison sign or word at the start or end: used to spot actuals that merely repeat a target. */
export function hasComparisonWording(text: string): boolean {
  const match = COMPARISON_PATTERN.exec(normalizeText(text));
  return match !== null && (match[1] !== undefined || match[4] !== undefined);
}

export function parseTarget(text: string): ParsedTarget {
  const normalized = normalizeText(text);
  if (normalized === '') return { form: 'TEXT', kind: 'EMPTY' };

  // Deadlines first: "9月前" would otherwise read as the number 9 in the unit 月前.
  const deadline = DEADLINE_PATTERN.exec(normalized);
  if (deadline) {
    const month = Number.parseInt(deadline[1], 10);
    const day = deadline[2] ? Number.parseInt(deadline[2], 10) : null;
    if (month >= 1 && month <= 12 && (day === null || (day >= 1 && day <= 31))) {
      return { form: 'DEADLINE', month, day };
    }
  }
  if (YEAR_END_PATTERN.test(normalized)) return { form: 'DEADLINE', month: 12, day: null };

  const range = RANGE_PATTERN.exec(normalized);
  if (range) {
    const [, low, lowUnit, high, highUnit] = range;
    // "10-12 个": the unit written once applies to both ends.
    const unit = highUnit || lowUnit;
    return { form: 'RANGE', low: quantity(low, lowUnit || unit), high: quantity(high, unit) };
  }

  const comparison = COMPARISON_PATTERN.exec(normalized);
  if (comparison) {
    const [, prefix, value, unit, suffix] = comparison;
    const fromPrefix = directionOf(prefix, PREFIXES);
    const fromSuffix = directionOf(suffix, SUFFIXES);
    const amount = quantity(value, unit);
    if (fromPrefix && fromSuffix && fromPrefix !== fromSuffix) return { form: 'TEXT', kind: 'TEXT' };
    const direction = fromPrefix ?? fromSuffix;
    if (direction === 'AT_LEAST') return { form: 'AT_LEAST', threshold: amount };
    if (direction === 'AT_MOST') return { form: 'AT_MOST', threshold: amount };
    if (direction === 'EQUAL') return { form: 'EQUAL', value: amount };
    return { form: 'NUMBER', value: amount };
  }

  if (QUANTIFIERS.test(normalized)) return { form: 'TEXT', kind: 'QUANTIFIED' };
  if ((normalized.match(/\d+(?:\.\d+)?/g) ?? []).length > 1) return { form: 'TEXT', kind: 'COMPOUND' };
  return { form: 'TEXT', kind: 'TEXT' };
}

/** What a department wrote as the actual (完成值). */
export type ParsedActual =
  | { kind: 'EMPTY' }
  | { kind: 'NUMBER'; value: Quantity }
  | { kind: 'DATE'; month: number; day: number | null }
  | { kind: 'TEXT' };

const ACTUAL_NUMBER = new RegExp(`^${NUMBER}${UNIT}$`, 'u');
const ACTUAL_DATE = /^(?:已于|于)?(?:\d{4}年)?(\d{1,2})月(?:(\d{1,2})[日号])?(?:底|末)?(?:前)?(?:已?完成)?$/u;

export function parseActual(text: string): ParsedActual {
  const normalized = normalizeText(text);
  if (normalized === '') return { kind: 'EMPTY' };
  const date = ACTUAL_DATE.exec(normalized);
  if (date) {
    const month = Number.parseInt(date[1], 10);
    const day = date[2] ? Number.parseInt(date[2], 10) : null;
    if (month >= 1 && month <= 12) return { kind: 'DATE', month, day };
  }
  // After dates: "8月" is a month, not 8 of a unit called 月.
  const number = ACTUAL_NUMBER.exec(normalized);
  if (number) return { kind: 'NUMBER', value: quantity(number[1], number[2]) };
  return { kind: 'TEXT' };
}
