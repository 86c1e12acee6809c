import { dec } from '../../decimal/decimal';

/**
 * The self-evaluation form (部门整体自评表) as held in an evaluation's state.
 * Decimals are kept as the text the department entered (validated, plain notation), so what an
 * auditor sees is exactly what was typed; arithmetic happens in decimal at the point of use.
 */
export type DecimalText = string;

export interface CodeName {
  code: string;
  name: string;
}

export const MONEY_UNITS = ['元', '千元', '万元', '亿元'] as const;
export type MoneyUnit = (typeof MONEY_UNITS)[number];

export interface FundingLine {
  /** Stable id, so a line can be changed or removed while others move. */
  id: string;
  /** 资金来源: 财政拨款, 上年结转, 其他资金 … */
  source: string;
  /** A 全年预算数 */
  budget: DecimalText;
  /** B 全年执行数 */
  executed: DecimalText;
  /** C 上级财政转移支付 */
  upperTransfer: DecimalText;
  /** 年初预算数 (optional) */
  initialBudget: DecimalText | null;
}

export interface Funding {
  unit: MoneyUnit;
  /** 分值, 10 by default */
  weight: DecimalText;
  lines: FundingLine[];
}

export interface Goals {
  /** 年初设定目标 */
  planned: string;
  /** 目标完成情况 */
  achieved: string;
}

export const POLARITIES = ['HIGHER_IS_BETTER', 'LOWER_IS_BETTER'] as const;
export type Polarity = (typeof POLARITIES)[number];

export const QUALITATIVE_LEVELS = ['ACHIEVED', 'PARTLY_ACHIEVED', 'NOT_ACHIEVED'] as const;
export type QualitativeLevel = (typeof QUALITATIVE_LEVELS)[number];

export interface IndicatorRow {
  /** Stable row id: survives moves, so history and comments keep pointing at the same row. */
  id: string;
  level1: string;
  level2: string;
  level3: string;
  content: string;
  target: string;
  actual: string;
  weight: DecimalText;
  /** null while the department has not scored the row yet */
  score: DecimalText | null;
  shortfallReason: string;
  improvement: string;
  polarity: Polarity | null;
  qualitativeLevel: QualitativeLevel | null;
}

/** The editable fields of a row (everything but its id). */
export type IndicatorFields = Omit<IndicatorRow, 'id'>;
export type FundingLineFields = Omit<FundingLine, 'id'>;

/** Figures printed on an imported paper form, kept to compare with what its inputs give. */
export interface DeclaredFigures {
  executionRate?: string;
  fundingScore?: string;
  totalScore?: string;
}

export interface EvaluationForm {
  year: number;
  department: CodeName;
  district: CodeName;
  independentAccountingUnits: number;
  funding: Funding;
  functions: string;
  goals: Goals;
  indicators: IndicatorRow[];
  declared: DeclaredFigures | null;
}

export const DEFAULT_FUNDING_WEIGHT = '10';
export const DEFAULT_MONEY_UNIT: MoneyUnit = '万元';

export function emptyForm(year: number, department: CodeName, district: CodeName): EvaluationForm {
  return {
    year,
    department,
    district,
    independentAccountingUnits: 0,
    funding: { unit: DEFAULT_MONEY_UNIT, weight: DEFAULT_FUNDING_WEIGHT, lines: [] },
    functions: '',
    goals: { planned: '', achieved: '' },
    indicators: [],
    declared: null,
  };
}

export function emptyIndicatorFields(): IndicatorFields {
  return {
    level1: '',
    level2: '',
    level3: '',
    content: '',
    target: '',
    actual: '',
    weight: '0',
    score: null,
    shortfallReason: '',
    improvement: '',
    polarity: null,
    qualitativeLevel: null,
  };
}

/** A row kept only to show the standard framework: weight 0 and nothing to evaluate. */
export function isPlaceholderRow(row: Pick<IndicatorRow, 'weight' | 'content'>): boolean {
  return dec(row.weight).isZero() && row.content.trim() === '';
}
