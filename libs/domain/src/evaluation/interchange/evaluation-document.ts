import {
  MONEY_UNITS,
  POLARITIES,
  QUALITATIVE_LEVELS,
  DEFAULT_FUNDING_WEIGHT,
  DEFAULT_MONEY_UNIT,
  emptyIndicatorFields,
  type CodeName,
  type DeclaredFigures,
  type EvaluationForm,
  type FundingLineFields,
  type IndicatorFields,
  type MoneyUnit,
} from '../form/form';
import { BadInput } from '../../errors';
import { InputReader, type InputProblem } from './input-reader';

/** docs/interchange.md: the interchange document, as exchanged in JSON (decimals as strings). */
export interface EvaluationDocument {
  documentVersion: 1;
  year: number;
  district: CodeName;
  department: CodeName;
  independentAccountingUnits: number;
  funding: {
    unit: MoneyUnit;
    weight: string;
    lines: Array<{
      source: string;
      budget: string;
      executed: string;
      upperTransfer: string;
      initialBudget?: string;
    }>;
  };
  functions: string;
  goals: { planned: string; achieved: string };
  indicators: Array<{
    level1: string;
    level2: string;
    level3: string;
    content: string;
    target: string;
    actual: string;
    weight: string;
    score?: string;
    shortfallReason?: string;
    improvement?: string;
    polarity?: (typeof POLARITIES)[number];
    qualitativeLevel?: (typeof QUALITATIVE_LEVELS)[number];
  }>;
  declared?: DeclaredFigures;
}

/** A form read from a document, before the rows get their ids. */
export interface DocumentContent extends Omit<EvaluationForm, 'funding' | 'indicators'> {
  funding: { unit: MoneyUnit; weight: string; lines: FundingLineFields[] };
  indicators: IndicatorFields[];
}

export type DocumentParseResult =
  { ok: true; content: DocumentContent } | { ok: false; problems: InputProblem[] };

const TOP_REQUIRED = ['documentVersion', 'year', 'district', 'department', 'funding', 'indicators'] as const;
const TOP_OPTIONAL = ['independentAccountingUnits', 'functions', 'goals', 'declared'] as const;
const LINE_OPTIONAL = ['upperTransfer', 'initialBudget'] as const;
const ROW_OPTIONAL = [
  'level3',
  'content',
  'target',
  'actual',
  'score',
  'shortfallReason',
  'improvement',
  'polarity',
  'qualitativeLevel',
] as const;
const CODE_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const PRINTED_FIGURE = /^\d+(\.\d+)?%?$/;
const MAX_NAME_LENGTH = 200;

export function readCodeName(reader: InputReader, value: unknown, path: string): CodeName {
  const record = reader.record(value, path, ['code', 'name']);
  const code = reader.text(record?.code, `${path}.code`, { max: 64 });
  if (record && typeof record.code === 'string' && !CODE_PATTERN.test(code)) {
    reader.problem(
      'INVALID_VALUE',
      `${path}.code`,
      '代码只能包含字母、数字、点、下划线和连字符（1–64 个字符）',
    );
  }
  const name = reader.text(record?.name, `${path}.name`, { max: MAX_NAME_LENGTH, nonEmpty: true });
  return { code, name };
}

export function readFundingLine(reader: InputReader, value: unknown, path: string): FundingLineFields {
  const line = reader.record(value, path, ['source', 'budget', 'executed'], LINE_OPTIONAL);
  return {
    source: reader.text(line?.source, `${path}.source`, { max: MAX_NAME_LENGTH, nonEmpty: true }),
    budget: reader.amount(line?.budget, `${path}.budget`) ?? '0',
    executed: reader.amount(line?.executed, `${path}.executed`) ?? '0',
    upperTransfer:
      line?.upperTransfer === undefined
        ? '0'
        : (reader.amount(line.upperTransfer, `${path}.upperTransfer`) ?? '0'),
    initialBudget:
      line?.initialBudget === undefined || line.initialBudget === null
        ? null
        : reader.amount(line.initialBudget, `${path}.initialBudget`),
  };
}

/** Reads the given fields of an indicator row; with `base`, fields not given keep their value. */
export function readIndicatorFields(
  reader: InputReader,
  value: unknown,
  path: string,
  base: IndicatorFields = emptyIndicatorFields(),
  required: readonly string[] = [],
): IndicatorFields {
  const all = ['level1', 'level2', 'weight', ...ROW_OPTIONAL];
  const row =
    reader.record(
      value,
      path,
      required,
      all.filter((k) => !required.includes(k)),
    ) ?? {};
  const text = (key: keyof IndicatorFields) =>
    row[key] === undefined ? (base[key] as string) : reader.text(row[key], `${path}.${key}`);
  return {
    level1: text('level1'),
    level2: text('level2'),
    level3: text('level3'),
    content: text('content'),
    target: text('target'),
    actual: text('actual'),
    weight:
      row.weight === undefined ? base.weight : (reader.weight(row.weight, `${path}.weight`) ?? base.weight),
    score: 'score' in row ? reader.score(row.score, `${path}.score`) : base.score,
    shortfallReason: text('shortfallReason'),
    improvement: text('improvement'),
    polarity:
      row.polarity === undefined
        ? base.polarity
        : row.polarity === null
          ? null
          : reader.oneOf(row.polarity, `${path}.polarity`, POLARITIES),
    qualitativeLevel:
      row.qualitativeLevel === undefined
        ? base.qualitativeLevel
        : row.qualitativeLevel === null
          ? null
          : reader.oneOf(row.qualitativeLevel, `${path}.qualitativeLevel`, QUALITATIVE_LEVELS),
  };
}

function readDeclared(reader: InputReader, value: unknown, path: string): DeclaredFigures | null {
  if (value === undefined || value === null) return null;
  const record = reader.record(value, path, [], ['executionRate', 'fundingScore', 'totalScore']);
  if (!record) return null;
  const declared: DeclaredFigures = {};
  for (const key of ['executionRate', 'fundingScore', 'totalScore'] as const) {
    if (record[key] === undefined) continue;
    const figure =
      typeof record[key] === 'number'
        ? String(record[key])
        : reader.text(record[key], `${path}.${key}`, { max: 32 });
    if (!PRINTED_FIGURE.test(figure)) {
      reader.problem(
        'INVALID_VALUE',
        `${path}.${key}`,
        `「${figure}」不是可识别的数字（如 "83.47%" 或 "98.35"）`,
      );
    } else {
      declared[key] = figure;
    }
  }
  return declared;
}

/** docs/interchange.md, strictly: every problem reported with its JSON path, nothing coerced or truncated. */
export function parseEvaluationDocument(input: unknown): DocumentParseResult {
  const reader = new InputReader();
  const doc = reader.record(input, '$', TOP_REQUIRED, TOP_OPTIONAL);
  if (!doc) return { ok: false, problems: reader.problems };
  if (doc.documentVersion !== undefined && doc.documentVersion !== 1) {
    reader.problem('UNSUPPORTED_VERSION', '$.documentVersion', '只支持 documentVersion 1');
  }
  const year = reader.integer(doc.year, '$.year', 2000, 2100) ?? 0;
  const district = readCodeName(reader, doc.district, '$.district');
  const department = readCodeName(reader, doc.department, '$.department');
  const units =
    doc.independentAccountingUnits === undefined
      ? 0
      : (reader.integer(doc.independentAccountingUnits, '$.independentAccountingUnits', 0, 100_000) ?? 0);

  const fundingRecord = reader.record(doc.funding, '$.funding', ['lines'], ['unit', 'weight']);
  const unit =
    fundingRecord?.unit === undefined
      ? DEFAULT_MONEY_UNIT
      : (reader.oneOf(fundingRecord.unit, '$.funding.unit', MONEY_UNITS) ?? DEFAULT_MONEY_UNIT);
  const weight =
    fundingRecord?.weight === undefined
      ? DEFAULT_FUNDING_WEIGHT
      : (reader.weight(fundingRecord.weight, '$.funding.weight') ?? '0');
  const lines = fundingRecord
    ? reader
        .array(fundingRecord.lines, '$.funding.lines')
        .map((line, i) => readFundingLine(reader, line, `$.funding.lines[${i}]`))
    : [];

  const goalsRecord =
    doc.goals === undefined ? {} : reader.record(doc.goals, '$.goals', [], ['planned', 'achieved']);
  const goals = {
    planned: reader.text(goalsRecord?.planned, '$.goals.planned', { fallback: '' }),
    achieved: reader.text(goalsRecord?.achieved, '$.goals.achieved', { fallback: '' }),
  };
  const indicators = reader
    .array(doc.indicators, '$.indicators')
    .map((row, i) =>
      readIndicatorFields(reader, row, `$.indicators[${i}]`, emptyIndicatorFields(), [
        'level1',
        'level2',
        'weight',
      ]),
    );

  const content: DocumentContent = {
    year,
    district,
    department,
    independentAccountingUnits: units,
    funding: { unit, weight, lines },
    functions: reader.text(doc.functions, '$.functions', { fallback: '' }),
    goals,
    indicators,
    declared: readDeclared(reader, doc.declared, '$.declared'),
  };
  return reader.ok ? { ok: true, content } : { ok: false, problems: reader.problems };
}

/** The form back as an interchange document (docs/interchange.md); parsing it again gives the same form. */
export function exportEvaluationDocument(form: EvaluationForm): EvaluationDocument {
  const doc: EvaluationDocument = {
    documentVersion: 1,
    year: form.year,
    district: { ...form.district },
    department: { ...form.department },
    independentAccountingUnits: form.independentAccountingUnits,
    funding: {
      unit: form.funding.unit,
      weight: form.funding.weight,
      lines: form.funding.lines.map((line) => ({
        source: line.source,
        budget: line.budget,
        executed: line.executed,
        upperTransfer: line.upperTransfer,
        ...(line.initialBudget !== null ? { initialBudget: line.initialBudget } : {}),
      })),
    },
    functions: form.functions,
    goals: { ...form.goals },
    indicators: form.indicators.map((row) => ({
      level1: row.level1,
      level2: row.level2,
      level3: row.level3,
      content: row.content,
      target: row.target,
      actual: row.actual,
      weight: row.weight,
      ...(row.score !== null ? { score: row.score } : {}),
      ...(row.shortfallReason !== '' ? { shortfallReason: row.shortfallReason } : {}),
      ...(row.improvement !== '' ? { improvement: row.improvement } : {}),
      ...(row.polarity !== null ? { polarity: row.polarity } : {}),
      ...(row.qualitativeLevel !== null ? { qualitativeLevel: row.qualitativeLevel } : {}),
    })),
  };
  if (form.declared) doc.declared = { ...form.declared };
  return doc;
}

/**
 * An interchange document read once, where it enters (the API's import, the CLI): its content, or
 * BAD_USER_INPUT listing every problem with its JSON path. The import command carries the content.
 */
export function readEvaluationDocument(document: unknown): DocumentContent {
  const parsed = parseEvaluationDocument(document);
  if (!parsed.ok) throw new BadInput(parsed.problems);
  return parsed.content;
}

/** The form an import stores: lines and rows get ids in document order ("f1"…, "r1"…). */
export function formFromDocument(content: DocumentContent): EvaluationForm {
  return {
    ...content,
    funding: {
      ...content.funding,
      lines: content.funding.lines.map((line, i) => ({ id: `f${i + 1}`, ...line })),
    },
    indicators: content.indicators.map((row, i) => ({ id: `r${i + 1}`, ...row })),
  };
}
