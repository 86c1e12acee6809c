import { type Decimal, ZERO, HUNDRED, dec } from '../../decimal/decimal';
import { isPlaceholderRow, type EvaluationForm, type IndicatorRow } from '../form/form';
import { scoreForm, type FormScore } from '../scoring/form-score';
import { DEFAULT_SCORING_POLICY, type ScoringPolicy } from '../targets/scoring-policy';
import { suggestScore, type Suggestion } from '../targets/suggested-score';
import { hasComparisonWording } from '../targets/target-parser';
import { normalizeText } from '../targets/normalize';
import type { ValidationIssue, ValidationResult, ValidationErrorCode, ValidationWarningCode } from './issues';
import { checkDeclaredFigures } from './declared-figures';

/** Everything the system computes about a form: the scores, a suggestion per row and the validation. */
export interface FormAssessment {
  score: FormScore;
  suggestions: Record<string, Suggestion>;
  validation: ValidationResult;
}

const STANDARD_SPLIT: Array<[string, string]> = [
  ['产出指标', '50'],
  ['效益指标', '30'],
  ['满意度指标', '10'],
];
const STANDARD_FUNDING_WEIGHT = '10';

function rowName(row: IndicatorRow, index: number): string {
  const label = row.content.trim() || row.level3.trim() || row.level2.trim() || row.level1.trim();
  return label ? `第${index + 1}行指标「${label}」` : `第${index + 1}行指标`;
}

class IssueList {
  readonly errors: ValidationIssue<ValidationErrorCode>[] = [];
  readonly warnings: ValidationIssue<ValidationWarningCode>[] = [];
  error(code: ValidationErrorCode, path: string, message: string, rowId?: string): void {
    this.errors.push(rowId ? { code, message, path, rowId } : { code, message, path });
  }
  warn(code: ValidationWarningCode, path: string, message: string, rowId?: string): void {
    this.warnings.push(rowId ? { code, message, path, rowId } : { code, message, path });
  }
}

function checkFunding(
  form: EvaluationForm,
  score: FormScore,
  policy: ScoringPolicy,
  issues: IssueList,
): void {
  form.funding.lines.forEach((line, index) => {
    for (const field of ['budget', 'executed', 'upperTransfer', 'initialBudget'] as const) {
      const value = line[field];
      if (value !== null && dec(value).isNegative()) {
        issues.error(
          'INVALID_AMOUNT',
          `funding.lines[${index}].${field}`,
          `资金第${index + 1}行「${line.source}」金额不能为负数：${value}`,
          line.id,
        );
      }
    }
  });
  const funding = score.funding;
  if (!funding.ok) {
    issues.error('FUNDING_BUDGET_MISSING', 'funding.lines', '全年预算数(A)合计为0或未填写，无法计算执行率');
    return;
  }
  if (funding.overExecution) {
    issues.warn('OVER_EXECUTION', 'funding', `执行率 ${funding.ratePercent}% 超过100%，请说明超支原因`);
  }
  if (funding.rate.lt(policy.executionWarningRate)) {
    issues.warn(
      'EXECUTION_BELOW_90',
      'funding',
      `执行率 ${funding.ratePercent}% 低于90%，请在目标完成情况中说明原因`,
    );
  }
}

function checkWeights(form: EvaluationForm, issues: IssueList): void {
  const byLevel1 = new Map<string, Decimal>();
  let sum = dec(form.funding.weight);
  for (const row of form.indicators) {
    const weight = dec(row.weight);
    sum = sum.plus(weight);
    const level1 = row.level1.trim();
    byLevel1.set(level1, (byLevel1.get(level1) ?? ZERO).plus(weight));
  }
  if (!sum.eq(HUNDRED)) {
    issues.error('WEIGHTS_NOT_100', 'indicators', `资金分值与各指标分值合计为 ${sum.toFixed()}，应为100`);
  }
  const standard =
    dec(form.funding.weight).eq(STANDARD_FUNDING_WEIGHT) &&
    STANDARD_SPLIT.every(([level1, weight]) => (byLevel1.get(level1) ?? ZERO).eq(weight)) &&
    [...byLevel1.entries()].every(
      ([level1, weight]) => weight.isZero() || STANDARD_SPLIT.some(([l]) => l === level1),
    );
  if (!standard) {
    const split = [
      `资金 ${form.funding.weight}`,
      ...[...byLevel1.entries()].map(([l, w]) => `${l || '(未分类)'} ${w.toFixed()}`),
    ];
    issues.warn(
      'NONSTANDARD_WEIGHT_SPLIT',
      'indicators',
      `分值结构（${split.join('，')}）不同于标准结构（资金10、产出50、效益30、满意度10）`,
    );
  }
}

function checkRow(row: IndicatorRow, index: number, suggestion: Suggestion, issues: IssueList): void {
  const name = rowName(row, index);
  const at = (field: string) => `indicators[${index}].${field}`;
  const weight = dec(row.weight);
  if (isPlaceholderRow(row)) {
    if (row.score !== null && !dec(row.score).isZero()) {
      issues.error('SCORE_OUT_OF_RANGE', at('score'), `${name}分值为0，得分 ${row.score} 超出分值`, row.id);
    }
    return;
  }
  if (weight.gt(0) && row.actual.trim() === '') {
    issues.error('ACTUAL_MISSING', at('actual'), `${name}未填写完成值`, row.id);
  }
  if (row.score === null) {
    issues.error('SCORE_MISSING', at('score'), `${name}未填写得分`, row.id);
  } else {
    const score = dec(row.score);
    if (score.isNegative() || score.gt(weight)) {
      issues.error(
        'SCORE_OUT_OF_RANGE',
        at('score'),
        `${name}得分 ${row.score} 不在 0 到分值 ${row.weight} 之间`,
        row.id,
      );
    } else if (score.lt(weight) && (row.shortfallReason.trim() === '' || row.improvement.trim() === '')) {
      issues.error(
        'SHORTFALL_REASON_MISSING',
        at(row.shortfallReason.trim() === '' ? 'shortfallReason' : 'improvement'),
        `${name}扣分（${row.score}/${row.weight}）但未同时填写未完成原因和改进措施`,
        row.id,
      );
    }
    if (suggestion.score !== null && !score.eq(suggestion.score)) {
      issues.warn(
        'SCORE_DIFFERS_FROM_SUGGESTION',
        at('score'),
        `${name}自评得分 ${row.score} 与系统建议得分 ${suggestion.score} 不一致（${suggestion.derivation}）`,
        row.id,
      );
    }
    if (suggestion.band && (score.lt(suggestion.band.min) || score.gt(suggestion.band.max))) {
      issues.warn(
        'QUALITATIVE_SCORE_OUTSIDE_BAND',
        at('score'),
        `${name}得分 ${row.score} 不在所选完成档次的分数区间 ${suggestion.band.min}–${suggestion.band.max} 内`,
        row.id,
      );
    }
  }
  if (suggestion.warnings.includes('OVER_ACHIEVEMENT')) {
    issues.warn(
      'OVER_ACHIEVEMENT',
      at('actual'),
      `${name}完成值 ${row.actual} 大幅超出目标值 ${row.target}，请检查目标设定是否合理`,
      row.id,
    );
  }
  if (suggestion.warnings.includes('UNIT_MISMATCH')) {
    issues.warn(
      'UNIT_MISMATCH',
      at('actual'),
      `${name}完成值 ${row.actual} 与目标值 ${row.target} 单位不一致`,
      row.id,
    );
  }
  const actual = row.actual.trim();
  if (
    actual !== '' &&
    (hasComparisonWording(actual) || normalizeText(actual) === normalizeText(row.target))
  ) {
    issues.warn(
      'ACTUAL_LOOKS_LIKE_TARGET',
      at('actual'),
      `${name}完成值「${actual}」看起来是目标值而非实际完成情况`,
      row.id,
    );
  }
}

/** Scores, suggestions and docs/validation.md validation of a form, in one pass. */
export function assessForm(
  form: EvaluationForm,
  policy: ScoringPolicy = DEFAULT_SCORING_POLICY,
): FormAssessment {
  const score = scoreForm(form);
  const issues = new IssueList();
  const suggestions: Record<string, Suggestion> = {};
  checkFunding(form, score, policy, issues);
  checkWeights(form, issues);
  form.indicators.forEach((row, index) => {
    const suggestion = suggestScore(row, policy);
    suggestions[row.id] = suggestion;
    checkRow(row, index, suggestion, issues);
  });
  checkDeclaredFigures(form, score, issues);
  return { score, suggestions, validation: { errors: issues.errors, warnings: issues.warnings } };
}

export function validateForm(form: EvaluationForm, policy?: ScoringPolicy): ValidationResult {
  return assessForm(form, policy).validation;
}
