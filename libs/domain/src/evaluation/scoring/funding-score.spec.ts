import fc from 'fast-check';
import { Decimal, dec } from '../../decimal/decimal';
import { emptyForm, type EvaluationForm } from '../form/form';
import { gradeOf, indicatorTotal, scoreForm } from './form-score';
import { lineExecutionRatePercent, scoreFundingFigures } from './funding-score';

const figures = (budget: string, executed: string, upperTransfer: string, weight = '10') => ({
  budget: dec(budget),
  executed: dec(executed),
  upperTransfer: dec(upperTransfer),
  weight: dec(weight),
});

describe('docs/scoring.md vectors', () => {
  it('A 200, B 189.70, C 0, weight 10 gives 9.49 (the float path gives 9.48)', () => {
    const result = scoreFundingFigures(figures('200', '189.70', '0'));
    expect(result).toMatchObject({ ok: true, score: '9.49', ratePercent: '94.85', overExecution: false });
    // The trap this guards against: 10 * 0.9485 in binary floating point rounds to 9.48.
    expect(((10 * 189.7) / 200).toFixed(2)).toBe('9.48');
  });

  it('A 329.77, B 338.31 caps at 10.00 and flags over-execution', () => {
    expect(scoreFundingFigures(figures('329.77', '338.31', '0'))).toMatchObject({
      ok: true,
      score: '10.00',
      overExecution: true,
    });
  });

  it('A 100, B 80, C 20 gives rate 60.00% and score 6.00', () => {
    expect(scoreFundingFigures(figures('100', '80', '20'))).toMatchObject({
      ok: true,
      ratePercent: '60.00',
      score: '6.00',
    });
  });

  it('A 0 is FUNDING_BUDGET_MISSING, never a division by zero', () => {
    expect(scoreFundingFigures(figures('0', '80', '0'))).toEqual({
      ok: false,
      code: 'FUNDING_BUDGET_MISSING',
    });
  });

  it('the example form: 83.47%, 8.35 (from the unrounded rate), total 98.35', () => {
    const result = scoreFundingFigures(figures('1081.19', '902.42', '0'));
    expect(result).toMatchObject({ ok: true, ratePercent: '83.47', score: '8.35' });
  });

  it('a rate below zero (transfers above execution) scores 0, not a negative', () => {
    expect(scoreFundingFigures(figures('100', '10', '50'))).toMatchObject({ ok: true, score: '0.00' });
  });
});

describe('grades', () => {
  it.each([
    ['100', 'EXCELLENT'],
    ['90', 'EXCELLENT'],
    ['89.99', 'GOOD'],
    ['80', 'GOOD'],
    ['79.99', 'FAIR'],
    ['60', 'FAIR'],
    ['59.99', 'POOR'],
    ['0', 'POOR'],
  ])('%s is %s', (total, grade) => expect(gradeOf(dec(total))).toBe(grade));
});

// ---- properties -----------------------------------------------------------------------------------

/** Decimal texts with up to `places` decimals, from integer minor units (never via floats). */
const decimalText = (maxUnits: number, places: number) =>
  fc.integer({ min: 0, max: maxUnits }).map((units) => new Decimal(units).div(10 ** places).toFixed(places));

const amount = decimalText(10_000_000_000, 4);
const weight = decimalText(10_000, 2);

describe('scoring properties', () => {
  it('a funding score is never above its weight nor below 0, and has exactly 2 decimals', () => {
    fc.assert(
      fc.property(amount, amount, amount, weight, (a, b, c, w) => {
        const result = scoreFundingFigures(figures(a, b, c, w));
        if (!result.ok) return dec(a).isZero();
        const score = dec(result.score);
        return score.gte(0) && score.lte(w) && /^\d+\.\d{2}$/.test(result.score);
      }),
    );
  });

  it('the funding score never decreases when B grows, and caps at the weight', () => {
    fc.assert(
      fc.property(
        amount.filter((a) => !dec(a).isZero()),
        amount,
        amount,
        amount,
        weight,
        (a, b, extra, c, w) => {
          const lower = scoreFundingFigures(figures(a, b, c, w));
          const higher = scoreFundingFigures(figures(a, dec(b).plus(extra).toFixed(), c, w));
          if (!lower.ok || !higher.ok) return false;
          const capped = scoreFundingFigures(figures(a, dec(a).plus(c).plus(extra).toFixed(), c, w));
          return (
            dec(higher.score).gte(lower.score) && capped.ok && dec(capped.score).eq(dec(w).toDecimalPlaces(2))
          );
        },
      ),
    );
  });

  it('the total equals the funding score plus the sum of indicator scores, each already rounded', () => {
    const row = fc.tuple(weight, fc.integer({ min: 0, max: 100 })).map(([w, percent]) => ({
      weight: w,
      score: dec(w).times(percent).div(100).toDecimalPlaces(2, Decimal.ROUND_DOWN).toFixed(2),
    }));
    fc.assert(
      fc.property(
        amount.filter((a) => !dec(a).isZero()),
        amount,
        fc.array(row, { maxLength: 30 }),
        (a, b, rows) => {
          const form: EvaluationForm = {
            ...emptyForm(2021, { code: 'd', name: 'd' }, { code: 'x', name: 'x' }),
            funding: {
              unit: '万元',
              weight: '10',
              lines: [
                {
                  id: 'f1',
                  source: '财政拨款',
                  budget: a,
                  executed: b,
                  upperTransfer: '0',
                  initialBudget: null,
                },
              ],
            },
            indicators: rows.map((r, i) => ({
              id: `r${i + 1}`,
              level1: '产出指标',
              level2: '数量指标',
              level3: '',
              content: `c${i}`,
              target: '',
              actual: '1',
              weight: r.weight,
              score: r.score,
              shortfallReason: '',
              improvement: '',
              polarity: null,
              qualitativeLevel: null,
            })),
          };
          const score = scoreForm(form);
          const sum = rows.reduce((s, r) => s.plus(r.score), dec(score.fundingScore!));
          return (
            score.total === sum.toFixed(2) &&
            dec(score.indicatorTotal).plus(score.fundingScore!).eq(score.total!)
          );
        },
      ),
    );
  });
});

describe('the indicator total', () => {
  const withScores = (scores: Array<string | null>): EvaluationForm => ({
    ...emptyForm(2021, { code: 'd', name: 'd' }, { code: 'x', name: 'x' }),
    indicators: scores.map((score, i) => ({
      id: `r${i + 1}`,
      level1: '产出指标',
      level2: '数量指标',
      level3: '',
      content: '',
      target: '',
      actual: '',
      weight: '100',
      score,
      shortfallReason: '',
      improvement: '',
      polarity: null,
      qualitativeLevel: null,
    })),
  });
  // Every way a score may be written ("5", "3.5", "3.50", large, unscored) and texts beyond two decimals.
  const score = fc.oneof(
    decimalText(100_000, 0),
    decimalText(100_000, 1),
    decimalText(100_000, 2),
    decimalText(10 ** 15, 2),
    decimalText(100_000, 3),
    fc.constant(null),
  );

  it('equals the decimal sum of the entered scores, whatever their notation', () => {
    fc.assert(
      fc.property(fc.array(score, { maxLength: 40 }), (scores) => {
        const expected = scores.reduce((sum: Decimal, s) => (s === null ? sum : sum.plus(dec(s))), dec(0));
        return indicatorTotal(withScores(scores)).eq(expected);
      }),
    );
  });
});

describe("one funding line's execution rate", () => {
  const line = (budget: string, executed: string, upperTransfer: string) => ({
    id: 'f1',
    source: '财政拨款',
    budget,
    executed,
    upperTransfer,
    initialBudget: null,
  });
  it('is (B − C) / A in percent, rounded half-up to 2 places, exact in decimals', () => {
    expect(lineExecutionRatePercent(line('1081.19', '902.42', '0'))).toBe('83.47');
    // 0.1 + 0.2 style: a float would print 30.000000000000004 before rounding
    expect(lineExecutionRatePercent(line('0.3', '0.19', '0.1'))).toBe('30.00');
    expect(lineExecutionRatePercent(line('200', '1', '0'))).toBe('0.50');
    expect(lineExecutionRatePercent(line('3', '2', '0'))).toBe('66.67');
  });
  it('has none without a budget', () => {
    expect(lineExecutionRatePercent(line('0', '5', '0'))).toBeNull();
  });
});
