import { parseActual, parseTarget, hasComparisonWording } from './target-parser';

const q = (value: string, unit: string | null = null) => ({ value, unit });

describe('target parser (docs/targets.md), after NFKC', () => {
  it.each([
    // range
    ['5-20', { form: 'RANGE', low: q('5'), high: q('20') }],
    ['10-12 个', { form: 'RANGE', low: q('10', '个'), high: q('12', '个') }],
    ['100～200条', { form: 'RANGE', low: q('100', '条'), high: q('200', '条') }],
    ['１００－２００条', { form: 'RANGE', low: q('100', '条'), high: q('200', '条') }],
    ['90%至95%', { form: 'RANGE', low: q('90', '%'), high: q('95', '%') }],
    // at least
    ['≥95%', { form: 'AT_LEAST', threshold: q('95', '%') }],
    ['≧９５％', { form: 'AT_LEAST', threshold: q('95', '%') }],
    ['＞＝95%', { form: 'AT_LEAST', threshold: q('95', '%') }],
    ['大于 4230 条', { form: 'AT_LEAST', threshold: q('4230', '条') }],
    ['不低于90%', { form: 'AT_LEAST', threshold: q('90', '%') }],
    ['50个以上', { form: 'AT_LEAST', threshold: q('50', '个') }],
    ['不少于1,200人次', { form: 'AT_LEAST', threshold: q('1200', '人次') }],
    // at most
    ['≤90万元', { form: 'AT_MOST', threshold: q('90', '万元') }],
    ['≦９０万元', { form: 'AT_MOST', threshold: q('90', '万元') }],
    ['不超过5%', { form: 'AT_MOST', threshold: q('5', '%') }],
    ['2天以内', { form: 'AT_MOST', threshold: q('2', '天') }],
    ['控制在3%以内', { form: 'AT_MOST', threshold: q('3', '%') }],
    // equal
    ['=100%', { form: 'EQUAL', value: q('100', '%') }],
    ['═100%', { form: 'EQUAL', value: q('100', '%') }],
    ['等于8个', { form: 'EQUAL', value: q('8', '个') }],
    // bare number
    ['100%', { form: 'NUMBER', value: q('100', '%') }],
    ['32座', { form: 'NUMBER', value: q('32', '座') }],
    ['３２座', { form: 'NUMBER', value: q('32', '座') }],
    // deadline
    ['9月前', { form: 'DEADLINE', month: 9, day: null }],
    ['12月底前', { form: 'DEADLINE', month: 12, day: null }],
    ['6月30日前完成', { form: 'DEADLINE', month: 6, day: 30 }],
    ['年底前', { form: 'DEADLINE', month: 12, day: null }],
    // not parsed automatically
    ['一级网格 14 个，二级网格 142 个，三级网格 657 个', { form: 'TEXT', kind: 'COMPOUND' }],
    ['均高于96%', { form: 'TEXT', kind: 'QUANTIFIED' }],
    ['是', { form: 'TEXT', kind: 'TEXT' }],
    ['长期坚持', { form: 'TEXT', kind: 'TEXT' }],
    ['', { form: 'TEXT', kind: 'EMPTY' }],
    ['≥95%以内', { form: 'TEXT', kind: 'TEXT' }],
  ])('%s', (target, expected) => expect(parseTarget(target)).toEqual(expected));
});

describe('actual parser', () => {
  it.each([
    ['6', { kind: 'NUMBER', value: q('6') }],
    ['98.5%', { kind: 'NUMBER', value: q('98.5', '%') }],
    ['９０万元', { kind: 'NUMBER', value: q('90', '万元') }],
    ['8月', { kind: 'DATE', month: 8, day: null }],
    ['已于2021年11月20日完成', { kind: 'DATE', month: 11, day: 20 }],
    ['按目标划分完成', { kind: 'TEXT' }],
    ['', { kind: 'EMPTY' }],
  ])('%s', (actual, expected) => expect(parseActual(actual)).toEqual(expected));
});

describe('comparison wording in an actual', () => {
  it.each([
    ['≥95%', true],
    ['不低于90%', true],
    ['50个以上', true],
    ['95%', false],
    ['是', false],
  ])('%s → %s', (text, expected) => expect(hasComparisonWording(text)).toBe(expected));
});
