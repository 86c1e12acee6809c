import { Decimal, HUNDRED, dec } from '../decimal/decimal';
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
 * Section 5: compare at the precision printed. Rate and funding score start from the unrounded value (a
 * printed 8.3 comes from 8.3466, not from 8.35); the total is defined as the sum of rounded parts.
 */
function agrees(declared: string, computed: Decimal): boolean {
  const figure = printed(declared);
  if (!figure) return false;
  return computed.toDecimalPlaces(figure.places, Decimal.ROUND_HALF_UP).eq(figure.value);
}

export function checkDeclaredFigures(form: EvaluationForm, score: FormScore, issues: WarningSink): void {
  const declared = form.declared;
  if (!declared || !score.funding.ok) return;
  const { rate, rawScore } = score.funding;
  if (declared.executionRate !== undefined && !agrees(declared.executionRate, rate.times(HUNDRED))) {
    issues.warn(
      'DECLARED_RATE_MISMATCH',
      'declared.executionRate',
      `表上填报的执行率 ${declared.executionRate} 与按资金数据计算的 ${score.executionRatePercent}% 不一致`,
    );
  }
  if (declared.fundingScore !== undefined && !agrees(declared.fundingScore, rawScore)) {
    issues.warn(
      'DECLARED_FUNDING_SCORE_MISMATCH',
      'declared.fundingScore',
      `表上填报的资金得分 ${declared.fundingScore} 与按执行率计算的 ${score.fundingScore} 不一致`,
    );
  }
  if (
    declared.totalScore !== undefined &&
    score.total !== null &&
    !agrees(declared.totalScore, dec(score.total))
  ) {
    issues.warn(
      'DECLARED_TOTAL_MISMATCH',
      'declared.totalScore',
      `表上填报的总分 ${declared.totalScore} 与各项得分合计 ${score.total} 不一致`,
    );
  }
}
