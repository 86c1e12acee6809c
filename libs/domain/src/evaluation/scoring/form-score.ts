import { Decimal, ZERO, dec, fixed } from '../../decimal/decimal';
import type { EvaluationForm } from '../form/form';
import { scoreFunding, type FundingScore } from './funding-score';

export const GRADES = ['EXCELLENT', 'GOOD', 'FAIR', 'POOR'] as const;
/** 优 / 良 / 中 / 差 */
export type Grade = (typeof GRADES)[number];

export const GRADE_LABELS: Record<Grade, string> = { EXCELLENT: '优', GOOD: '良', FAIR: '中', POOR: '差' };

export function gradeOf(total: Decimal): Grade {
  if (total.gte(90)) return 'EXCELLENT';
  if (total.gte(80)) return 'GOOD';
  if (total.gte(60)) return 'FAIR';
  return 'POOR';
}

export interface FormScore {
  funding: FundingScore;
  /** "83.47", null without a budget */
  executionRatePercent: string | null;
  /** "8.35", null without a budget */
  fundingScore: string | null;
  /** Σ entered indicator scores (each has at most 2 decimals, so the sum is exact); unscored rows count 0 */
  indicatorTotal: string;
  /** funding score + indicator total, null without a budget */
  total: string | null;
  grade: Grade | null;
}

export function indicatorTotal(form: EvaluationForm): Decimal {
  return form.indicators.reduce((sum, row) => (row.score === null ? sum : sum.plus(dec(row.score))), ZERO);
}

/** docs/scoring.md: total = funding score (rounded) + Σ indicator scores; grade from the total. */
export function scoreForm(form: EvaluationForm): FormScore {
  const funding = scoreFunding(form.funding);
  const indicators = indicatorTotal(form);
  if (!funding.ok) {
    return {
      funding,
      executionRatePercent: null,
      fundingScore: null,
      indicatorTotal: fixed(indicators),
      total: null,
      grade: null,
    };
  }
  const total = dec(funding.score).plus(indicators);
  return {
    funding,
    executionRatePercent: funding.ratePercent,
    fundingScore: funding.score,
    indicatorTotal: fixed(indicators),
    total: fixed(total),
    grade: gradeOf(total),
  };
}
