import { Decimal, HUNDRED, dec } from '../../decimal/decimal';
import type { EvaluationForm } from '../form/form';
import type { FormScore } from '../scoring/form-score';
import type { ValidationWarningCode } from './issues';

interface WarningSink {
  warn(code: ValidationWarningCode, path: string, message: string): void;
}

/** A printed figure: its value and how many decimals it was printed with. */
function printed(text: string): { value: Decimal; places: number } | null {
  const match = /^\s*(-?\d+(?:\.(\d+))?)\s*%?\s*$/.exec(text.normalize('NFKC'));
  if (!match) return null;
  return { value: dec(match[1]), places: match[2]?.length ?? 0 };
}

/**
 * A declared rate is a rounded percentage: it agrees when the unrounded rate, rounded to the places
 * printed, gives it (a printed 86% agrees with 86.20%).
 */
function rateAgrees(declared: string, computedPercent: Decimal): boolean {
  const figure = printed(declared);
  if (!figure) return false;
  return computedPercent.toDecimalPlaces(figure.places, Decimal.ROUND_HALF_UP).eq(figure.value);
}

/**
 * A declared score is a number of points, and scores are kept at two decimals: it agrees only when it is
 * the computed score (98.35 and 98.350 agree with 98.35; a printed 9 does not agree with 8.62, since
 * rounding a score to whole points is exactly the defect the check exists to catch).
 */
function scoreAgrees(declared: string, computed: string): boolean {
  const figure = printed(declared);
  return figure !== null && figure.value.eq(dec(computed));
}

export function checkDeclaredFigures(form: EvaluationForm, score: FormScore, issues: WarningSink): void {
  const declared = form.declared;
  if (!declared || !score.funding.ok) return;
  const { rate } = score.funding;
  if (declared.executionRate !== undefined && !rateAgrees(declared.executionRate, rate.times(HUNDRED))) {
    issues.warn(
      'DECLARED_RATE_MISMATCH',
      'declared.executionRate',
      `表上填报的执行率 ${declared.executionRate} 与按资金数据计算的 ${score.executionRatePercent}% 不一致`,
    );
  }
  if (
    declared.fundingScore !== undefined &&
    score.fundingScore !== null &&
    !scoreAgrees(declared.fundingScore, score.fundingScore)
  ) {
    issues.warn(
      'DECLARED_FUNDING_SCORE_MISMATCH',
      'declared.fundingScore',
      `表上填报的资金得分 ${declared.fundingScore} 与按执行率计算的 ${score.fundingScore} 不一致`,
    );
  }
  if (
    declared.totalScore !== undefined &&
    score.total !== null &&
    !scoreAgrees(declared.totalScore, score.total)
  ) {
    issues.warn(
      'DECLARED_TOTAL_MISMATCH',
      'declared.totalScore',
      `表上填报的总分 ${declared.totalScore} 与各项得分合计 ${score.total} 不一致`,
    );
  }
}
