import { formFromDocument, parseEvaluationDocument } from '../interchange/evaluation-document';
import type { EvaluationForm } from '../form/form';
import { exampleDocument } from '../testing/given-when-then';
import { DEFAULT_SCORING_POLICY } from '../targets/scoring-policy';
import { assessForm } from './validate-form';
import { ERROR_CODES, WARNING_CODES } from './issues';

type Doc = ReturnType<typeof exampleDocument>;

function formOf(doc: Doc): EvaluationForm {
  const parsed = parseEvaluationDocument(doc);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return formFromDocument(parsed.content);
}

function codesOf(doc: Doc) {
  const { validation } = assessForm(formOf(doc));
  return {
    errors: validation.errors.map((e) => e.code),
    warnings: validation.warnings.map((w) => w.code),
    validation,
  };
}

function example(change: (doc: Doc) => void = () => undefined): Doc {
  const doc = exampleDocument();
  change(doc);
  return doc;
}

/** A well-formed clean form: the example with execution above 90% and no over-achievement. */
const clean = () =>
  example((d) => {
    d.funding.lines[0].executed = '1000';
    d.indicators[2].actual = '11';
    d.indicators[4].actual = '5000';
    delete d.declared;
  });

describe('the example form', () => {
  it('scores 83.47% / 8.35 / 98.35 / EXCELLENT with no error', () => {
    const { score, validation } = assessForm(formOf(example()));
    expect(score).toMatchObject({
      executionRatePercent: '83.47',
      fundingScore: '8.35',
      indicatorTotal: '90.00',
      total: '98.35',
      grade: 'EXCELLENT',
    });
    expect(validation.errors).toEqual([]);
    expect(validation.warnings.map((w) => w.code)).toEqual([
      'EXECUTION_BELOW_90',
      'OVER_ACHIEVEMENT',
      'OVER_ACHIEVEMENT',
    ]);
  });

  it('the baseline used below has neither errors nor warnings', () => {
    expect(codesOf(clean())).toMatchObject({ errors: [], warnings: [] });
  });
});

/**
 * One document per code that raises it, and the clean baseline that does not. The published-form
 * defects of docs/validation.md are each here: weights not 100, funding score not following the rate, points
 * deducted without a reason, actuals repeating the target, blank scores.
 */
const TRIGGERS: Record<string, { doc: () => Doc; path: string; message: RegExp }> = {
  WEIGHTS_NOT_100: {
    doc: () => example((d) => (d.indicators[0].weight = '6')),
    path: 'indicators',
    message: /合计为 101，应为100/,
  },
  SCORE_MISSING: {
    doc: () => example((d) => delete d.indicators[3].score),
    path: 'indicators[3].score',
    message: /第4行指标「年度处理疑难问题工单」未填写得分/,
  },
  SCORE_OUT_OF_RANGE: {
    doc: () => example((d) => (d.indicators[0].score = '6')),
    path: 'indicators[0].score',
    message: /第1行指标「区长信箱每日工单数量」得分 6 不在 0 到分值 5 之间/,
  },
  SHORTFALL_REASON_MISSING: {
    doc: () =>
      example((d) => ((d.indicators[1].score = '4'), (d.indicators[1].shortfallReason = '热线合并'))),
    path: 'indicators[1].improvement',
    message: /第2行指标「雷锋“580”热线每日工单数量」扣分/,
  },
  ACTUAL_MISSING: {
    doc: () => example((d) => (d.indicators[0].actual = '')),
    path: 'indicators[0].actual',
    message: /第1行指标「区长信箱每日工单数量」未填写完成值/,
  },
  FUNDING_BUDGET_MISSING: {
    doc: () => example((d) => (d.funding.lines[0].budget = '0')),
    path: 'funding.lines',
    message: /全年预算数\(A\)合计为0/,
  },
  INVALID_AMOUNT: {
    doc: () => example((d) => (d.funding.lines[0].upperTransfer = '-5')),
    path: 'funding.lines[0].upperTransfer',
    message: /资金第1行「财政拨款」金额不能为负数/,
  },
  SCORE_DIFFERS_FROM_SUGGESTION: {
    doc: () => example((d) => ((d.indicators[0].actual = '4'), (d.indicators[0].score = '5'))),
    path: 'indicators[0].score',
    message: /建议得分 4.00/,
  },
  OVER_ACHIEVEMENT: {
    doc: () => example(),
    path: 'indicators[2].actual',
    message: /第3行指标「奖励社会治理工作年度优秀村社区」完成值 23 大幅超出/,
  },
  OVER_EXECUTION: {
    doc: () => example((d) => (d.funding.lines[0].executed = '1100')),
    path: 'funding',
    message: /执行率 101.74% 超过100%/,
  },
  EXECUTION_BELOW_90: { doc: () => example(), path: 'funding', message: /执行率 83.47% 低于90%/ },
  NONSTANDARD_WEIGHT_SPLIT: {
    doc: () =>
      example(
        (d) => (
          (d.indicators[0].weight = '10'),
          (d.indicators[0].score = '10'),
          (d.indicators[16].weight = '5'),
          (d.indicators[16].score = '5')
        ),
      ),
    path: 'indicators',
    message: /产出指标 55.*满意度指标 5/,
  },
  ACTUAL_LOOKS_LIKE_TARGET: {
    doc: () => example((d) => (d.indicators[4].actual = '大于 4230 条')),
    path: 'indicators[4].actual',
    message: /看起来是目标值/,
  },
  UNIT_MISMATCH: {
    doc: () => example((d) => (d.indicators[3].actual = '168%')),
    path: 'indicators[3].actual',
    message: /单位不一致/,
  },
  QUALITATIVE_SCORE_OUTSIDE_BAND: {
    doc: () => example((d) => (d.indicators[15].qualitativeLevel = 'PARTLY_ACHIEVED')),
    path: 'indicators[15].score',
    message: /不在所选完成档次的分数区间 9.00–12.00 内/,
  },
  DECLARED_TOTAL_MISMATCH: {
    doc: () => example((d) => (d.declared.totalScore = '99.35')),
    path: 'declared.totalScore',
    message: /总分 99.35 与各项得分合计 98.35 不一致/,
  },
  DECLARED_FUNDING_SCORE_MISMATCH: {
    doc: () => example((d) => (d.declared.fundingScore = '10')),
    path: 'declared.fundingScore',
    message: /资金得分 10 与按执行率计算的 8.35/,
  },
  DECLARED_RATE_MISMATCH: {
    doc: () => example((d) => (d.declared.executionRate = '88.47%')),
    path: 'declared.executionRate',
    message: /执行率 88.47% 与按资金数据计算的 83.47%/,
  },
};

describe('every docs/validation.md code', () => {
  it('has a case here', () => {
    expect(Object.keys(TRIGGERS).sort()).toEqual([...ERROR_CODES, ...WARNING_CODES].sort());
  });

  it.each(Object.keys(TRIGGERS))('%s: raised, with its path and a message naming the row', (code) => {
    const { doc, path, message } = TRIGGERS[code];
    const { validation } = codesOf(doc());
    const issues = [...validation.errors, ...validation.warnings].filter((i) => i.code === code);
    expect(issues).toContainEqual(
      expect.objectContaining({ code, path, message: expect.stringMatching(message) }),
    );
    const isError = (ERROR_CODES as readonly string[]).includes(code);
    expect((isError ? validation.errors : validation.warnings).some((i) => i.code === code)).toBe(true);
  });

  it.each(Object.keys(TRIGGERS))('%s: not raised by the clean form', (code) => {
    const { errors, warnings } = codesOf(clean());
    expect([...errors, ...warnings]).not.toContain(code);
  });
});

describe('details of the rules', () => {
  it('a declared rate agrees at the precision printed: 86% agrees with 86.20%', () => {
    const doc = example((d) => {
      d.funding.lines[0].executed = '932.0';
      d.declared = { executionRate: '86%', fundingScore: '8.62', totalScore: '98.620' };
    });
    const { score } = assessForm(formOf(doc));
    expect([score.executionRatePercent, score.fundingScore, score.total]).toEqual(['86.20', '8.62', '98.62']);
    expect(codesOf(doc).warnings.filter((w) => w.startsWith('DECLARED'))).toEqual([]);
  });

  it('a declared score must be the computed score at two decimals: 9 or 8.6 against 8.62 is a mismatch', () => {
    for (const [fundingScore, totalScore] of [
      ['9', '99'],
      ['8.6', '98.6'],
    ]) {
      const doc = example((d) => {
        d.funding.lines[0].executed = '932.0';
        d.declared = { executionRate: '86.20%', fundingScore, totalScore };
      });
      expect(codesOf(doc).warnings.filter((w) => w.startsWith('DECLARED'))).toEqual([
        'DECLARED_FUNDING_SCORE_MISMATCH',
        'DECLARED_TOTAL_MISMATCH',
      ]);
    }
  });

  it('full marks need no shortfall reason; a deduction needs both reason and improvement', () => {
    const withBoth = example((d) =>
      Object.assign(d.indicators[1], { score: '4', shortfallReason: '热线合并', improvement: '加强宣传' }),
    );
    expect(codesOf(withBoth).errors).toEqual([]);
  });

  it('placeholder rows with weight 0 and no content need no actual and no score', () => {
    const doc = example((d) => delete d.indicators[7].score);
    expect(codesOf(doc).errors).toEqual([]);
  });

  it('a score inside the qualitative band raises nothing', () => {
    const doc = example((d) =>
      Object.assign(d.indicators[15], {
        qualitativeLevel: 'PARTLY_ACHIEVED',
        score: '10',
        shortfallReason: '部分制度未修订',
        improvement: '年内修订',
      }),
    );
    expect(codesOf(doc).warnings).not.toContain('QUALITATIVE_SCORE_OUTSIDE_BAND');
  });

  it('the execution warning threshold is policy', () => {
    const form = formOf(example());
    const lenient = { ...DEFAULT_SCORING_POLICY, executionWarningRate: '0.8' };
    expect(assessForm(form, lenient).validation.warnings.map((w) => w.code)).not.toContain(
      'EXECUTION_BELOW_90',
    );
  });

  it('every suggestion is returned with the validation, keyed by row id', () => {
    const { suggestions } = assessForm(formOf(example()));
    expect(Object.keys(suggestions)).toHaveLength(17);
    expect(suggestions.r1).toMatchObject({ path: 'RANGE_MET', score: '5.00' });
    expect(suggestions.r6).toMatchObject({ path: 'QUALITATIVE', target: { form: 'TEXT', kind: 'COMPOUND' } });
  });
});
