import { Decimal, ZERO, HUNDRED, clamp, dec, fixed, plain } from '../../decimal/decimal';
import { isPlaceholderRow, type IndicatorRow, type Polarity } from '../form/form';
import { DEFAULT_SCORING_POLICY, type ScoringPolicy } from './scoring-policy';
import { parseActual, parseTarget, type ParsedActual, type ParsedTarget } from './target-parser';
import { toCommonScale, type Quantity } from './units';

/** How a suggestion was reached; an auditor re-derives the score from this and the parse results. */
export type SuggestionPath =
  | 'PLACEHOLDER'
  | 'RANGE_MET'
  | 'RANGE_BELOW'
  | 'RANGE_ABOVE'
  | 'AT_LEAST_MET'
  | 'AT_LEAST_BELOW'
  | 'AT_MOST_MET'
  | 'AT_MOST_ABOVE'
  | 'EQUAL_MET'
  | 'EQUAL_OFF'
  | 'DEADLINE_MET'
  | 'DEADLINE_MISSED'
  | 'DEADLINE_UNDETERMINED'
  | 'ACTUAL_NOT_NUMERIC'
  | 'UNIT_MISMATCH'
  | 'QUALITATIVE';

export interface Suggestion {
  target: ParsedTarget;
  actual: ParsedActual;
  /** for a bare-number target, the direction used and where it came from */
  polarity: { value: Polarity; source: 'ROW' | 'DEFAULT' | 'COST_INDICATOR' } | null;
  path: SuggestionPath;
  /** suggested score, 2 decimals; null when the row is self-assessed */
  score: string | null;
  /** the arithmetic in words, e.g. "5 × 6 / 10 = 3.00" */
  derivation: string;
  /** for self-assessed rows with a qualitative level: the score band allowed by policy */
  band: { min: string; max: string } | null;
  warnings: Array<'OVER_ACHIEVEMENT' | 'UNIT_MISMATCH'>;
}

const COST_INDICATOR = '成本指标';

function polarityFor(row: IndicatorRow): NonNullable<Suggestion['polarity']> {
  if (row.polarity) return { value: row.polarity, source: 'ROW' };
  if (row.level2.trim() === COST_INDICATOR) return { value: 'LOWER_IS_BETTER', source: 'COST_INDICATOR' };
  return { value: 'HIGHER_IS_BETTER', source: 'DEFAULT' };
}

function bandFor(row: IndicatorRow, policy: ScoringPolicy): Suggestion['band'] {
  if (!row.qualitativeLevel) return null;
  const band = policy.qualitativeBands[row.qualitativeLevel];
  const weight = dec(row.weight);
  return {
    min: fixed(weight.times(band.minPercent).div(HUNDRED)),
    max: fixed(weight.times(band.maxPercent).div(HUNDRED)),
  };
}

type Outcome = Pick<Suggestion, 'path' | 'score' | 'derivation' | 'warnings'>;

function capped(weight: Decimal, raw: Decimal): string {
  return fixed(clamp(raw, ZERO, weight));
}

function proportional(
  weight: Decimal,
  numerator: Decimal,
  denominator: Decimal,
  path: SuggestionPath,
): Outcome {
  if (denominator.isZero())
    return { path, score: fixed(ZERO), derivation: `${plain(weight)} × 0 = 0.00`, warnings: [] };
  const score = capped(weight, weight.times(numerator).div(denominator));
  return {
    path,
    score,
    derivation: `${plain(weight)} × ${plain(numerator)} / ${plain(denominator)} = ${score}`,
    warnings: [],
  };
}

function full(weight: Decimal, path: SuggestionPath, warnings: Outcome['warnings'] = []): Outcome {
  const score = fixed(weight);
  return { path, score, derivation: `目标达成，得满分 ${score}`, warnings };
}

function compareAtLeast(w: Decimal, a: Decimal, t: Decimal, policy: ScoringPolicy): Outcome {
  if (a.gte(t)) {
    const over = a.gt(t.times(policy.overAchievementRatio));
    return full(w, 'AT_LEAST_MET', over ? ['OVER_ACHIEVEMENT'] : []);
  }
  return proportional(w, a, t, 'AT_LEAST_BELOW');
}

function compareAtMost(w: Decimal, a: Decimal, t: Decimal): Outcome {
  if (a.lte(t)) return full(w, 'AT_MOST_MET');
  return proportional(w, t, a, 'AT_MOST_ABOVE');
}

function numericOutcome(
  target: Exclude<ParsedTarget, { form: 'TEXT' } | { form: 'DEADLINE' }>,
  actual: Quantity,
  weight: Decimal,
  polarity: Polarity,
  policy: ScoringPolicy,
): Outcome {
  const quantities: Quantity[] =
    target.form === 'RANGE'
      ? [actual, target.low, target.high]
      : [actual, target.form === 'AT_LEAST' || target.form === 'AT_MOST' ? target.threshold : target.value];
  const scale = toCommonScale(quantities);
  if (!scale.ok) {
    return {
      path: 'UNIT_MISMATCH',
      score: null,
      derivation: `单位不一致（${scale.units.join(' / ')}），无法计算建议得分`,
      warnings: ['UNIT_MISMATCH'],
    };
  }
  const [a, t, high] = scale.values;
  switch (target.form) {
    case 'RANGE':
      if (a.lt(t)) return proportional(weight, a, t, 'RANGE_BELOW');
      if (a.gt(high)) return full(weight, 'RANGE_ABOVE', ['OVER_ACHIEVEMENT']);
      return full(weight, 'RANGE_MET');
    case 'AT_LEAST':
      return compareAtLeast(weight, a, t, policy);
    case 'AT_MOST':
      return compareAtMost(weight, a, t);
    case 'EQUAL':
      if (a.eq(t)) return full(weight, 'EQUAL_MET');
      return proportional(weight, Decimal.min(a, t), Decimal.max(a, t), 'EQUAL_OFF');
    case 'NUMBER':
      return polarity === 'LOWER_IS_BETTER'
        ? compareAtMost(weight, a, t)
        : compareAtLeast(weight, a, t, policy);
  }
}

function deadlineOutcome(
  target: { month: number; day: number | null },
  actual: ParsedActual,
  weight: Decimal,
): Outcome {
  if (actual.kind !== 'DATE') {
    return {
      path: 'DEADLINE_UNDETERMINED',
      score: null,
      derivation: '完成值不是日期，由部门自评',
      warnings: [],
    };
  }
  const late =
    actual.month > target.month ||
    (actual.month === target.month && target.day !== null && actual.day !== null && actual.day > target.day);
  const undetermined = actual.month === target.month && target.day !== null && actual.day === null;
  if (undetermined) {
    return {
      path: 'DEADLINE_UNDETERMINED',
      score: null,
      derivation: '完成日期不够具体，由部门自评',
      warnings: [],
    };
  }
  if (late) return { path: 'DEADLINE_MISSED', score: null, derivation: '逾期完成，由部门自评', warnings: [] };
  return full(weight, 'DEADLINE_MET');
}

/** docs/targets.md: what the system would score a row, and how it got there. */
export function suggestScore(row: IndicatorRow, policy: ScoringPolicy = DEFAULT_SCORING_POLICY): Suggestion {
  const target = parseTarget(row.target);
  const actual = parseActual(row.actual);
  const weight = dec(row.weight);
  const base = { target, actual, polarity: null, band: bandFor(row, policy) };

  if (isPlaceholderRow(row)) {
    return { ...base, path: 'PLACEHOLDER', score: null, derivation: '占位行（分值为0）', warnings: [] };
  }
  if (target.form === 'TEXT') {
    return {
      ...base,
      path: 'QUALITATIVE',
      score: null,
      derivation: '定性指标，由部门在分档内自评',
      warnings: [],
    };
  }
  if (target.form === 'DEADLINE') return { ...base, ...deadlineOutcome(target, actual, weight) };
  if (actual.kind !== 'NUMBER') {
    return {
      ...base,
      path: 'ACTUAL_NOT_NUMERIC',
      score: null,
      derivation: '完成值不是数值，由部门自评',
      warnings: [],
    };
  }
  const polarity = target.form === 'NUMBER' ? polarityFor(row) : null;
  return {
    ...base,
    polarity,
    ...numericOutcome(target, actual.value, weight, polarity?.value ?? 'HIGHER_IS_BETTER', policy),
  };
}
