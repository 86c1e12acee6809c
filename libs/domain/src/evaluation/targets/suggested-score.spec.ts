import { emptyIndicatorFields, type IndicatorRow } from '../form/form';
import { DEFAULT_SCORING_POLICY, type ScoringPolicy } from './scoring-policy';
import { suggestScore } from './suggested-score';

const row = (fields: Partial<IndicatorRow>): IndicatorRow => ({
  ...emptyIndicatorFields(),
  id: 'r1',
  level1: '产出指标',
  level2: '数量指标',
  content: '测试指标',
  weight: '5',
  ...fields,
});

describe('suggested score from target and actual (docs/targets.md)', () => {
  it.each([
    // target, actual, path, score
    ['5-20', '6', 'RANGE_MET', '5.00'],
    ['10-20', '6', 'RANGE_BELOW', '3.00'],
    ['≥95%', '96%', 'AT_LEAST_MET', '5.00'],
    ['≥95%', '90%', 'AT_LEAST_BELOW', '4.74'],
    ['≤90万元', '80万元', 'AT_MOST_MET', '5.00'],
    ['≤90万元', '100万元', 'AT_MOST_ABOVE', '4.50'],
    ['=100%', '100%', 'EQUAL_MET', '5.00'],
    ['等于8个', '6个', 'EQUAL_OFF', '3.75'],
    ['等于8个', '10个', 'EQUAL_OFF', '4.00'],
    ['32座', '28座', 'AT_LEAST_BELOW', '4.38'],
    ['9月前', '8月', 'DEADLINE_MET', '5.00'],
  ])('%s with actual %s → %s %s', (target, actual, path, score) => {
    expect(suggestScore(row({ target, actual }))).toMatchObject({ path, score });
  });

  it('records the arithmetic so an auditor can re-derive it', () => {
    const suggestion = suggestScore(row({ target: '≥7', actual: '6' }));
    expect(suggestion).toMatchObject({
      target: { form: 'AT_LEAST', threshold: { value: '7', unit: null } },
      actual: { kind: 'NUMBER', value: { value: '6', unit: null } },
      path: 'AT_LEAST_BELOW',
      score: '4.29',
      derivation: '5 × 6 / 7 = 4.29',
    });
  });

  it('above a range: full score with OVER_ACHIEVEMENT', () => {
    expect(suggestScore(row({ target: '10-12 个', actual: '23' }))).toMatchObject({
      path: 'RANGE_ABOVE',
      score: '5.00',
      warnings: ['OVER_ACHIEVEMENT'],
    });
  });

  it('more than 120% of an at-least target warns; exactly 120% does not', () => {
    expect(suggestScore(row({ target: '大于 4230 条', actual: '11112' })).warnings).toEqual([
      'OVER_ACHIEVEMENT',
    ]);
    expect(suggestScore(row({ target: '≥100', actual: '120' })).warnings).toEqual([]);
  });

  it('元, 万元 and 亿元 convert into each other', () => {
    expect(suggestScore(row({ target: '≤90万元', actual: '850000元' }))).toMatchObject({
      path: 'AT_MOST_MET',
      score: '5.00',
    });
    expect(suggestScore(row({ target: '≥1亿元', actual: '5000万元' }))).toMatchObject({
      path: 'AT_LEAST_BELOW',
      score: '2.50',
    });
  });

  it('% does not convert to a count: UNIT_MISMATCH and no score, never a silent zero', () => {
    expect(suggestScore(row({ target: '≥95%', actual: '30个' }))).toMatchObject({
      path: 'UNIT_MISMATCH',
      score: null,
      warnings: ['UNIT_MISMATCH'],
    });
  });

  it('a bare number is higher-is-better by default, lower-is-better for 成本指标, and a row may say otherwise', () => {
    expect(suggestScore(row({ target: '100万元', actual: '120万元' }))).toMatchObject({
      path: 'AT_LEAST_MET',
      polarity: { value: 'HIGHER_IS_BETTER', source: 'DEFAULT' },
    });
    expect(suggestScore(row({ level2: '成本指标', target: '100万元', actual: '125万元' }))).toMatchObject({
      path: 'AT_MOST_ABOVE',
      score: '4.00',
      polarity: { value: 'LOWER_IS_BETTER', source: 'COST_INDICATOR' },
    });
    expect(suggestScore(row({ polarity: 'LOWER_IS_BETTER', target: '2天', actual: '4天' }))).toMatchObject({
      path: 'AT_MOST_ABOVE',
      score: '2.50',
      polarity: { value: 'LOWER_IS_BETTER', source: 'ROW' },
    });
  });

  it('deadlines: met gives full marks, missed or vague is left to the department', () => {
    expect(suggestScore(row({ target: '12月底前', actual: '12月20日' }))).toMatchObject({
      path: 'DEADLINE_MET',
      score: '5.00',
    });
    expect(suggestScore(row({ target: '9月前', actual: '10月' }))).toMatchObject({
      path: 'DEADLINE_MISSED',
      score: null,
    });
    expect(suggestScore(row({ target: '6月15日前', actual: '6月' }))).toMatchObject({
      path: 'DEADLINE_UNDETERMINED',
      score: null,
    });
    expect(suggestScore(row({ target: '9月前', actual: '按期完成' }))).toMatchObject({
      path: 'DEADLINE_UNDETERMINED',
      score: null,
    });
  });

  it('text targets and text actuals are self-assessed', () => {
    expect(suggestScore(row({ target: '长期坚持', actual: '是' }))).toMatchObject({
      path: 'QUALITATIVE',
      score: null,
    });
    expect(suggestScore(row({ target: '≥95%', actual: '基本完成' }))).toMatchObject({
      path: 'ACTUAL_NOT_NUMERIC',
      score: null,
    });
  });

  it('placeholder rows (weight 0, no content) get no suggestion', () => {
    expect(suggestScore(row({ content: '', weight: '0' }))).toMatchObject({
      path: 'PLACEHOLDER',
      score: null,
    });
  });

  it('qualitative bands come from policy: MOF defaults, or a district policy', () => {
    const ten = row({ weight: '10', target: '长期坚持', actual: '是', qualitativeLevel: 'PARTLY_ACHIEVED' });
    expect(suggestScore(ten).band).toEqual({ min: '6.00', max: '8.00' });
    const strict: ScoringPolicy = {
      ...DEFAULT_SCORING_POLICY,
      qualitativeBands: {
        ...DEFAULT_SCORING_POLICY.qualitativeBands,
        PARTLY_ACHIEVED: { minPercent: '50', maxPercent: '70' },
      },
    };
    expect(suggestScore(ten, strict).band).toEqual({ min: '5.00', max: '7.00' });
  });

  it('a suggestion never exceeds the weight and has 2 decimals', () => {
    expect(suggestScore(row({ weight: '3.33', target: '≥3', actual: '1' }))).toMatchObject({ score: '1.11' });
    expect(suggestScore(row({ weight: '5', target: '=0', actual: '3' }))).toMatchObject({
      path: 'EQUAL_OFF',
      score: '0.00',
    });
  });
});
