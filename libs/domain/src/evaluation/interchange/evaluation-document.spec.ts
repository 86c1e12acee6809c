import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import { exampleDocument } from '../../testing/fixtures';
import { exportEvaluationDocument, formFromDocument, parseEvaluationDocument } from './evaluation-document';
import type { EvaluationForm } from '../form/form';
import schema from './evaluation-document.schema.json';

const validateSchema = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

function parsedForm(doc: unknown): EvaluationForm {
  const parsed = parseEvaluationDocument(doc);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return formFromDocument(parsed.content);
}

describe('the example document', () => {
  it('is valid by the committed JSON Schema and by the parser', () => {
    expect(validateSchema(exampleDocument())).toBe(true);
    expect(parseEvaluationDocument(exampleDocument()).ok).toBe(true);
  });

  it('round-trips losslessly: export(import(doc)) is the document again', () => {
    expect(exportEvaluationDocument(parsedForm(exampleDocument()))).toEqual(exampleDocument());
  });

  it('the export is itself valid by the schema', () => {
    expect(validateSchema(exportEvaluationDocument(parsedForm(exampleDocument())))).toBe(true);
  });
});

describe('strict parsing: each problem with its JSON path, and the schema agrees', () => {
  type Case = [string, (doc: Record<string, any>) => void, code: string, path: string, message: string];
  const long = '字'.repeat(10_001);
  const cases: Case[] = [
    ['an unknown top-level field', (d) => (d.colour = 'red'), 'UNKNOWN_FIELD', '$.colour', '未知字段 colour'],
    [
      'an unknown row field',
      (d) => (d.indicators[2].remark = 'x'),
      'UNKNOWN_FIELD',
      '$.indicators[2].remark',
      '未知字段 remark',
    ],
    [
      'a missing required field',
      (d) => delete d.indicators[0].weight,
      'REQUIRED',
      '$.indicators[0].weight',
      '缺少必填字段 weight',
    ],
    ['a year as a string', (d) => (d.year = '2021'), 'WRONG_TYPE', '$.year', '应为整数，实际为 string'],
    [
      'an amount "abc"',
      (d) => (d.funding.lines[0].budget = 'abc'),
      'INVALID_AMOUNT',
      '$.funding.lines[0].budget',
      '「abc」不是有效的十进制数',
    ],
    [
      'an amount "NaN"',
      (d) => (d.funding.lines[0].executed = 'NaN'),
      'INVALID_AMOUNT',
      '$.funding.lines[0].executed',
      '「NaN」不是有效的十进制数',
    ],
    [
      'an amount "1e309"',
      (d) => (d.funding.lines[0].budget = '1e309'),
      'INVALID_AMOUNT',
      '$.funding.lines[0].budget',
      '「1e309」不是有效的十进制数',
    ],
    [
      'an amount with 5 decimals',
      (d) => (d.funding.lines[0].budget = '1081.19001'),
      'INVALID_AMOUNT',
      '$.funding.lines[0].budget',
      '「1081.19001」小数位数过多（最多 4 位小数）',
    ],
    [
      'an amount of 16 integer digits',
      (d) => (d.funding.lines[0].budget = '1234567890123456'),
      'INVALID_AMOUNT',
      '$.funding.lines[0].budget',
      '「1234567890123456」数值过大',
    ],
    [
      'a score with 3 decimals',
      (d) => (d.indicators[0].score = '4.999'),
      'INVALID_DECIMAL',
      '$.indicators[0].score',
      '「4.999」小数位数过多（最多 2 位小数）',
    ],
    [
      'a weight above 100',
      (d) => (d.indicators[0].weight = '101'),
      'OUT_OF_RANGE',
      '$.indicators[0].weight',
      '分值 101 应在 0 到 100 之间',
    ],
    [
      'a weight as an object',
      (d) => (d.indicators[0].weight = { v: 5 }),
      'WRONG_TYPE',
      '$.indicators[0].weight',
      '应为十进制数字字符串，实际为 object',
    ],
    [
      'a text over 10,000 characters',
      (d) => (d.functions = long),
      'TEXT_TOO_LONG',
      '$.functions',
      '文本长度 10001 超过上限 10000',
    ],
    [
      'a row text over 10,000 characters',
      (d) => (d.indicators[5].target = long),
      'TEXT_TOO_LONG',
      '$.indicators[5].target',
      '文本长度 10001 超过上限 10000',
    ],
    [
      '501 indicator rows',
      (d) => (d.indicators = Array.from({ length: 501 }, () => d.indicators[0])),
      'TOO_MANY_ROWS',
      '$.indicators',
      '最多 500 行，实际 501 行',
    ],
    [
      'a polarity outside the list',
      (d) => (d.indicators[0].polarity = 'UP'),
      'INVALID_VALUE',
      '$.indicators[0].polarity',
      '应为 HIGHER_IS_BETTER | LOWER_IS_BETTER 之一',
    ],
    [
      'document version 2',
      (d) => (d.documentVersion = 2),
      'UNSUPPORTED_VERSION',
      '$.documentVersion',
      '只支持 documentVersion 1',
    ],
    [
      'a department code with spaces',
      (d) => (d.department.code = 'a b'),
      'INVALID_VALUE',
      '$.department.code',
      '代码只能包含字母、数字、点、下划线和连字符（1–64 个字符）',
    ],
    [
      'a money unit that is not money',
      (d) => (d.funding.unit = '个'),
      'INVALID_VALUE',
      '$.funding.unit',
      '应为 元 | 千元 | 万元 | 亿元 之一',
    ],
    [
      'a declared rate that is not a figure',
      (d) => (d.declared.executionRate = '约83%'),
      'INVALID_VALUE',
      '$.declared.executionRate',
      '「约83%」不是可识别的数字（如 "83.47%" 或 "98.35"）',
    ],
  ];

  it.each(cases)('%s', (_name, change, code, path, message) => {
    const doc = exampleDocument();
    change(doc);
    const parsed = parseEvaluationDocument(doc);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    // exactly one problem, at the field, saying what is wrong with the value it names
    expect(parsed.problems).toEqual([{ code, path, message }]);
    expect(validateSchema(doc)).toBe(false);
  });

  it('reports every problem at once, not just the first', () => {
    const doc = exampleDocument();
    doc.funding.lines[0].budget = 'abc';
    doc.indicators[0].score = '4.999';
    doc.extra = 1;
    const parsed = parseEvaluationDocument(doc);
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      { code: 'UNKNOWN_FIELD', path: '$.extra', message: '未知字段 extra' },
      { code: 'INVALID_AMOUNT', path: '$.funding.lines[0].budget', message: '「abc」不是有效的十进制数' },
      {
        code: 'INVALID_DECIMAL',
        path: '$.indicators[0].score',
        message: '「4.999」小数位数过多（最多 2 位小数）',
      },
    ]);
  });

  it('a JSON number that overflowed (1e309 parses to Infinity) is refused', () => {
    const doc = JSON.parse(JSON.stringify(exampleDocument()).replace('"1081.19"', '1e309'));
    const parsed = parseEvaluationDocument(doc);
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      { code: 'INVALID_AMOUNT', path: '$.funding.lines[0].budget', message: '不是有限的数值' },
    ]);
  });

  it('numbers are accepted on input and kept as their decimal text', () => {
    const doc = exampleDocument();
    doc.funding.lines[0].budget = 1081.19;
    doc.indicators[0].weight = 5;
    const form = parsedForm(doc);
    expect(form.funding.lines[0].budget).toBe('1081.19');
    expect(form.indicators[0].weight).toBe('5');
    expect(validateSchema(doc)).toBe(true);
  });

  it('blank scores are kept as missing (to be caught as SCORE_MISSING), not as zero', () => {
    const doc = exampleDocument();
    doc.indicators[0].score = '';
    doc.indicators[1].score = null;
    delete doc.indicators[2].score;
    const form = parsedForm(doc);
    expect(form.indicators.slice(0, 3).map((r) => r.score)).toEqual([null, null, null]);
    expect(validateSchema(doc)).toBe(true);
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const parsed = parseEvaluationDocument(value);
        return parsed.ok === false && parsed.problems.length > 0;
      }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('year', 'district', 'funding', 'indicators', 'goals', 'declared', 'functions'),
        fc.anything(),
        (key, value) => {
          const doc = exampleDocument();
          doc[key] = value;
          parseEvaluationDocument(doc);
          return true;
        },
      ),
    );
  });
});

describe('round trip of any valid form', () => {
  const text = fc.string({ maxLength: 20 });
  const amount = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).chain((units) =>
    fc.integer({ min: 0, max: 4 }).map((places) => {
      const digits = (units < 0n ? -units : units).toString().padStart(places + 1, '0');
      const body = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
      return units < 0n ? `-${body}` : body;
    }),
  );
  const weight = fc.integer({ min: 0, max: 10_000 }).map((u) => (u / 100).toFixed(2));
  const row = fc.record({
    level1: text,
    level2: text,
    level3: text,
    content: text,
    target: text,
    actual: text,
    weight,
    score: fc.option(weight, { nil: undefined }),
    shortfallReason: fc.option(fc.string({ minLength: 1, maxLength: 10 }), { nil: undefined }),
    polarity: fc.option(fc.constantFrom('HIGHER_IS_BETTER' as const, 'LOWER_IS_BETTER' as const), {
      nil: undefined,
    }),
  });
  const line = fc.record({
    source: fc.string({ minLength: 1, maxLength: 10 }).filter((s) => s.trim() !== ''),
    budget: amount,
    executed: amount,
    upperTransfer: amount,
  });

  it('parse ∘ export ∘ parse is the identity on forms', () => {
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 8 }),
        fc.array(line, { maxLength: 4 }),
        text,
        (rows, lines, functions) => {
          const doc = exampleDocument();
          doc.indicators = rows.map((r) => JSON.parse(JSON.stringify(r)));
          doc.funding.lines = lines;
          doc.functions = functions;
          const form = parsedForm(doc);
          expect(parsedForm(exportEvaluationDocument(form))).toEqual(form);
          expect(validateSchema(exportEvaluationDocument(form))).toBe(true);
        },
      ),
    );
  });
});
