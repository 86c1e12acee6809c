import { Decimal, ZERO, HUNDRED, clamp, dec, fixed } from '../../decimal/decimal';
import type { Funding, FundingLine } from '../form/form';

export interface FundingTotals {
  /** A */
  budget: Decimal;
  /** B */
  executed: Decimal;
  /** C */
  upperTransfer: Decimal;
}

/**
 * Forms are immutable: evolve replaces what an event changes and keeps every other object. Totals and
 * scores are therefore kept per lines array and per funding object, so that re-scoring a form after an
 * indicator edit (the commonest event) does not add up its funding again.
 */
const totalsByLines = new WeakMap<readonly FundingLine[], FundingTotals>();
const scoresByFunding = new WeakMap<Funding, FundingScore>();

export function fundingTotals(lines: readonly FundingLine[]): FundingTotals {
  let totals = totalsByLines.get(lines);
  if (!totals) {
    totals = lines.reduce<FundingTotals>(
      (sum, line) => ({
        budget: sum.budget.plus(dec(line.budget)),
        executed: sum.executed.plus(dec(line.executed)),
        upperTransfer: sum.upperTransfer.plus(dec(line.upperTransfer)),
      }),
      { budget: ZERO, executed: ZERO, upperTransfer: ZERO },
    );
    totalsByLines.set(lines, totals);
  }
  return totals;
}

export type FundingScore =
  | {
      ok: true;
      /** (B − C) / A, unrounded: every figure derived from it starts from the exact value. */
      rate: Decimal;
      /** the rate as a percentage with 2 decimals, "83.47" */
      ratePercent: string;
      /** weight × rate, capped to [0, weight], unrounded (for comparisons at a printed precision) */
      rawScore: Decimal;
      /** rawScore rounded half-up to 2 decimals, "8.35" */
      score: string;
      overExecution: boolean;
    }
  | { ok: false; code: 'FUNDING_BUDGET_MISSING' };

export interface FundingFigures {
  budget: Decimal;
  executed: Decimal;
  upperTransfer: Decimal;
  weight: Decimal;
}

/** docs/scoring.md: funding score = weight × (B − C) / A, capped at the weight, never below 0. */
export function scoreFundingFigures({
  budget,
  executed,
  upperTransfer,
  weight,
}: FundingFigures): FundingScore {
  if (budget.lte(0)) return { ok: false, code: 'FUNDING_BUDGET_MISSING' };
  const rate = executed.minus(upperTransfer).div(budget);
  const rawScore = clamp(weight.times(rate), ZERO, weight);
  return {
    ok: true,
    rate,
    ratePercent: fixed(rate.times(HUNDRED), 2),
    rawScore,
    score: fixed(rawScore, 2),
    overExecution: rate.gt(1),
  };
}

/** One funding line's execution rate (B − C) / A as a percentage, "83.47"; null without a budget. */
export function lineExecutionRatePercent(line: FundingLine): string | null {
  const budget = dec(line.budget);
  if (budget.lte(0)) return null;
  return fixed(dec(line.executed).minus(dec(line.upperTransfer)).div(budget).times(HUNDRED), 2);
}

export function scoreFunding(funding: Funding): FundingScore {
  let score = scoresByFunding.get(funding);
  if (!score) {
    score = scoreFundingFigures({ ...fundingTotals(funding.lines), weight: dec(funding.weight) });
    scoresByFunding.set(funding, score);
  }
  return score;
}

const YUAN_PER_UNIT: Record<Funding['unit'], string> = {
  元: '1',
  千元: '1000',
  万元: '10000',
  亿元: '100000000',
};

/** A form's funding totals in 万元, the unit district reports add up in, whatever unit the form used. */
export function fundingTotalsInWan(funding: Funding): FundingTotals {
  const totals = fundingTotals(funding.lines);
  const factor = dec(YUAN_PER_UNIT[funding.unit]).div(10_000);
  return {
    budget: totals.budget.times(factor),
    executed: totals.executed.times(factor),
    upperTransfer: totals.upperTransfer.times(factor),
  };
}
