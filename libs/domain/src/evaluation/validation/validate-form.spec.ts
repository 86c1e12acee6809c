import { formFromDocument, parseEvaluationDocument } from '../interchange/evaluation-document';
import type { EvaluationForm } from '../form/form';
import { exampleDocument } from '../../testing/fixtures';
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
 * deducted without a reason, actuals repeating the target, blank scores. Each lists every issue of its code
 * the document raises, exactly: the path of the field, the row or funding line it concerns (rowId; none for
 * the form's totals) and the message, which names the row by number and content, the line by its source, and
 * the figures involved.
 */
type Expected = { path: string; message: string; rowId?: string };
const TRIGGERS: Record<string, { doc: () => Doc; issues: Expected[] }> = {
  WEIGHTS_NOT_100: {
    doc: () => example((d) => (d.indicators[0].weight = '6')),
    issues: [{ path: 'indicators', message: '资金分值与各指标分值合计为 101，应为100' }],
  },
  SCORE_MISSING: {
    doc: () => example((d) => delete d.indicators[3].score),
    issues: [
      { path: 'indicators[3].score', rowId: 'r4', message: '第4行指标「年度处理疑难问题工单」未填写得分' },
    ],
  },
  SCORE_OUT_OF_RANGE: {
    doc: () => example((d) => (d.indicators[0].score = '6')),
    issues: [
      {
        path: 'indicators[0].score',
        rowId: 'r1',
        message: '第1行指标「区长信箱每日工单数量」得分 6 不在 0 到分值 5 之间',
      },
    ],
  },
  SHORTFALL_REASON_MISSING: {
    doc: () =>
      example((d) => ((d.indicators[1].score = '4'), (d.indicators[1].shortfallReason = '热线合并'))),
    issues: [
      {
        // the reason is there, so the path points at the missing improvement
        path: 'indicators[1].improvement',
        rowId: 'r2',
        message: '第2行指标「雷锋“580”热线每日工单数量」扣分（4/5）但未同时填写未完成原因和改进措施',
      },
    ],
  },
  ACTUAL_MISSING: {
    doc: () => example((d) => (d.indicators[0].actual = '')),
    issues: [
      { path: 'indicators[0].actual', rowId: 'r1', message: '第1行指标「区长信箱每日工单数量」未填写完成值' },
    ],
  },
  FUNDING_BUDGET_MISSING: {
    doc: () => example((d) => (d.funding.lines[0].budget = '0')),
    issues: [{ path: 'funding.lines', message: '全年预算数(A)合计为0或未填写，无法计算执行率' }],
  },
  INVALID_AMOUNT: {
    doc: () => example((d) => (d.funding.lines[0].upperTransfer = '-5')),
    issues: [
      {
        path: 'funding.lines[0].upperTransfer',
        rowId: 'f1',
        message: '资金第1行「财政拨款」金额不能为负数：-5',
      },
    ],
  },
  SCORE_DIFFERS_FROM_SUGGESTION: {
    doc: () => example((d) => ((d.indicators[0].actual = '4'), (d.indicators[0].score = '5'))),
    issues: [
      {
        path: 'indicators[0].score',
        rowId: 'r1',
        message: '第1行指标「区长信箱每日工单数量」自评得分 5 与系统建议得分 4.00 不一致（5 × 4 / 5 = 4.00）',
      },
    ],
  },
  OVER_ACHIEVEMENT: {
    doc: () => example(),
    issues: [
      {
        path: 'indicators[2].actual',
        rowId: 'r3',
        message:
          '第3行指标「奖励社会治理工作年度优秀村社区」完成值 23 大幅超出目标值 10-12 个，请检查目标设定是否合理',
      },
      {
        path: 'indicators[4].actual',
        rowId: 'r5',
        message:
          '第5行指标「年度社会治理信息采集数量」完成值 11112 大幅超出目标值 大于 4230 条，请检查目标设定是否合理',
      },
    ],
  },
  OVER_EXECUTION: {
    doc: () => example((d) => (d.funding.lines[0].executed = '1100')),
    issues: [{ path: 'funding', message: '执行率 101.74% 超过100%，请说明超支原因' }],
  },
  EXECUTION_BELOW_90: {
    doc: () => example(),
    issues: [{ path: 'funding', message: '执行率 83.47% 低于90%，请在目标完成情况中说明原因' }],
  },
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
    issues: [
      {
        path: 'indicators',
        message:
          '分值结构（资金 10，产出指标 55，效益指标 30，满意度指标 5）不同于标准结构（资金10、产出50、效益30、满意度10）',
      },
    ],
  },
  ACTUAL_LOOKS_LIKE_TARGET: {
    doc: () => example((d) => (d.indicators[4].actual = '大于 4230 条')),
    issues: [
      {
        path: 'indicators[4].actual',
        rowId: 'r5',
        message: '第5行指标「年度社会治理信息采集数量」完成值「大于 4230 条」看起来是目标值而非实际完成情况',
      },
    ],
  },
  UNIT_MISMATCH: {
    doc: () => example((d) => (d.indicators[3].actual = '168%')),
    issues: [
      {
        path: 'indicators[3].actual',
        rowId: 'r4',
        message: '第4行指标「年度处理疑难问题工单」完成值 168% 与目标值 100-200 条 单位不一致',
      },
    ],
  },
  QUALITATIVE_SCORE_OUTSIDE_BAND: {
    doc: () => example((d) => (d.indicators[15].qualitativeLevel = 'PARTLY_ACHIEVED')),
    issues: [
      {
        path: 'indicators[15].score',
        rowId: 'r16',
        message: '第16行指标「建立健全内控制度」得分 15 不在所选完成档次的分数区间 9.00–12.00 内',
      },
    ],
  },
  DECLARED_TOTAL_MISMATCH: {
    doc: () => example((d) => (d.declared.totalScore = '99.35')),
    issues: [{ path: 'declared.totalScore', message: '表上填报的总分 99.35 与各项得分合计 98.35 不一致' }],
  },
  DECLARED_FUNDING_SCORE_MISMATCH: {
    doc: () => example((d) => (d.declared.fundingScore = '10')),
    issues: [
      { path: 'declared.fundingScore', message: '表上填报的资金得分 10 与按执行率计算的 8.35 不一致' },
    ],
  },
  DECLARED_RATE_MISMATCH: {
    doc: () => example((d) => (d.declared.executionRate = '88.47%')),
    issues: [
      {
        path: 'declared.executionRate',
        message: '表上填报的执行率 88.47% 与按资金数据计算的 83.47% 不一致',
      },
    ],
  },
};

describe('every docs/validation.md code', () => {
  it('has a case here', () => {
    expect(Object.keys(TRIGGERS).sort()).toEqual([...ERROR_CODES, ...WARNING_CODES].sort());
  });

  it.each(Object.keys(TRIGGERS))('%s: raised, with its path, its row and a message naming both', (code) => {
    const { doc, issues } = TRIGGERS[code];
    const { validation } = codesOf(doc());
    const isError = (ERROR_CODES as readonly string[]).includes(code);
    const raised = (isError ? validation.errors : validation.warnings).filter((i) => i.code === code);
    // toStrictEqual: an issue of the form's totals carries no rowId at all
    expect(raised).toStrictEqual(issues.map((issue) => ({ code, ...issue })));
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
      expect(
        codesOf(doc)
          .validation.warnings.filter((w) => w.code.startsWith('DECLARED'))
          .map((w) => w.message),
      ).toEqual([
        `表上填报的资金得分 ${fundingScore} 与按执行率计算的 8.62 不一致`,
        `表上填报的总分 ${totalScore} 与各项得分合计 98.62 不一致`,
      ]);
    }
  });

  it('a row is named by its content, else its third, second or first level, else by its number alone', () => {
    const doc = example((d) => {
      Object.assign(d.indicators[1], { content: '', level3: '', actual: '' });
      Object.assign(d.indicators[2], { content: '', score: '4' });
      // r8 is a placeholder (weight 0, no content): a score on it is out of range
      d.indicators[7].score = '1';
      d.indicators.push({ level1: '满意度指标', level2: '', weight: '0', score: '1' });
      // a row with no label at all; r1 gives it its weight, so the weights still add up to 100
      d.indicators.push({ level1: ' ', level2: '', weight: '5', actual: '' });
      Object.assign(d.indicators[0], { content: '', weight: '0', score: '0' });
    });
    expect(assessForm(formOf(doc)).validation.errors).toStrictEqual([
      {
        code: 'ACTUAL_MISSING',
        path: 'indicators[1].actual',
        rowId: 'r2',
        message: '第2行指标「数量指标」未填写完成值',
      },
      {
        code: 'SHORTFALL_REASON_MISSING',
        path: 'indicators[2].shortfallReason',
        rowId: 'r3',
        message: '第3行指标「社会治理日常事务」扣分（4/5）但未同时填写未完成原因和改进措施',
      },
      {
        code: 'SCORE_OUT_OF_RANGE',
        path: 'indicators[7].score',
        rowId: 'r8',
        message: '第8行指标「质量指标」分值为0，得分 1 超出分值',
      },
      {
        code: 'SCORE_OUT_OF_RANGE',
        path: 'indicators[17].score',
        rowId: 'r18',
        message: '第18行指标「满意度指标」分值为0，得分 1 超出分值',
      },
      {
        code: 'ACTUAL_MISSING',
        path: 'indicators[18].actual',
        rowId: 'r19',
        message: '第19行指标未填写完成值',
      },
      { code: 'SCORE_MISSING', path: 'indicators[18].score', rowId: 'r19', message: '第19行指标未填写得分' },
    ]);
  });

  it('a negative amount names the line by its number and source, at the field', () => {
    const doc = example((d) => {
      d.funding.lines.push({ source: '上年结转', budget: '10', executed: '-0.5', initialBudget: '-1' });
    });
    expect(assessForm(formOf(doc)).validation.errors).toStrictEqual([
      {
        code: 'INVALID_AMOUNT',
        path: 'funding.lines[1].executed',
        rowId: 'f2',
        message: '资金第2行「上年结转」金额不能为负数：-0.5',
      },
      {
        code: 'INVALID_AMOUNT',
        path: 'funding.lines[1].initialBudget',
        rowId: 'f2',
        message: '资金第2行「上年结转」金额不能为负数：-1',
      },
    ]);
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
