import { exportEvaluationDocument } from '../evaluation/interchange/evaluation-document';
import { InputReader } from '../evaluation/interchange/input-reader';
import { validateForm } from '../evaluation/validation/validate-form';
import { given } from '../testing/given-when-then';
import { EVALUATION_ID, actors, history, meta } from '../testing/fixtures';
import { dec, fixed, plain, unsignedZero } from './decimal';

describe('a zero has no sign', () => {
  it('"-0", "-0.00" and "-0.0000" lose the minus and keep their places; other texts are left alone', () => {
    expect(unsignedZero('-0')).toBe('0');
    expect(unsignedZero('-0.00')).toBe('0.00');
    expect(unsignedZero('-00.0000')).toBe('00.0000');
    expect(unsignedZero('0.00')).toBe('0.00');
    expect(unsignedZero('-0.01')).toBe('-0.01');
    expect(unsignedZero('-10')).toBe('-10');
  });

  it('rounding a small negative to zero prints "0.00", not "-0.00"', () => {
    expect(fixed(dec('-0.001'))).toBe('0.00');
    expect(fixed(dec('-0'), 4)).toBe('0.0000');
    expect(plain(dec('-0'))).toBe('0');
    expect(fixed(dec('-0.005'))).toBe('-0.01');
  });

  it('the input reader stores "-0" amounts, weights and scores as unsigned zeros', () => {
    const reader = new InputReader();
    expect(reader.amount('-0', 'a')).toBe('0');
    expect(reader.amount('-0.00', 'b')).toBe('0.00');
    expect(reader.amount(-0, 'c')).toBe('0');
    expect(reader.weight('-0', 'd')).toBe('0');
    expect(reader.score('-0.00', 'e')).toBe('0.00');
    expect(reader.problems).toEqual([]);
    // a real negative amount is still read as given (validation reports it as INVALID_AMOUNT)
    expect(reader.amount('-0.01', 'f')).toBe('-0.01');
  });
});

describe('given a draft, when a clerk enters "-0" amounts', () => {
  it('then the funding line stores "0" / "0.00", validation sees no negative amount, and the export has no minus', () => {
    given(history.imported())
      .when({
        type: 'AddFundingLine',
        data: { line: { source: '其他资金', budget: '-0', executed: '-0.00', upperTransfer: '-0.0000' } },
        metadata: meta(actors.clerk, 1),
      })
      .thenEvents((events, after) => {
        expect(events).toEqual([
          {
            type: 'FundingLineAdded',
            data: {
              evaluationId: EVALUATION_ID,
              index: 1,
              line: expect.objectContaining({
                source: '其他资金',
                budget: '0',
                executed: '0.00',
                upperTransfer: '0.0000',
              }),
            },
          },
        ]);
        if (after.status === 'NONE') throw new Error('no form');
        const { errors, warnings } = validateForm(after.form);
        const codes = [...errors, ...warnings].map((issue) => issue.code);
        expect(codes).not.toContain('INVALID_AMOUNT');
        expect(JSON.stringify(exportEvaluationDocument(after.form).funding)).not.toMatch(/"-0/);
      });
  });

  it('then changing an amount to "-0.00" records "0.00" as the new value', () => {
    given(history.imported())
      .when({
        type: 'ChangeFundingLine',
        data: { lineId: 'f1', changes: { executed: '-0.00' } },
        metadata: meta(actors.clerk, 1),
      })
      .then([
        {
          type: 'FundingLineChanged',
          data: {
            evaluationId: EVALUATION_ID,
            lineId: 'f1',
            before: { executed: '902.42' },
            after: { executed: '0.00' },
          },
        },
      ]);
  });
});
