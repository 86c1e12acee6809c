import type { CodeName } from '../form/form';
import type { DocumentContent } from '../interchange/evaluation-document';
import type { ScoringPolicy } from '../targets/scoring-policy';
import type { Actor } from './actor';

/** Passed in by whoever runs the command: the decider reads no clock, no id generator, no globals. */
export interface CommandMetadata {
  actor: Actor;
  now: Date;
  /** the version the caller last saw; required for every command on an existing form */
  expectedVersion?: number;
}

type Command<Type extends string, Data> = Readonly<{
  type: Type;
  data: Readonly<Data>;
  metadata: CommandMetadata;
}>;

/**
 * Raw user input: the decider reads it strictly, whatever the caller's types said, and reports each
 * problem at the path the caller used (a mutation's argument, or a field inside `input`). A null is
 * "not given" except where it clears a field (CLEARABLE_LINE_FIELDS, CLEARABLE_ROW_FIELDS), so callers
 * pass what they received untouched. The one exception is the import: its caller must read the document
 * first (readEvaluationDocument) to know whose form it is, so the command carries what was read.
 */
export type Input = Record<string, unknown>;

export type CreateEvaluation = Command<
  'CreateEvaluation',
  { evaluationId: string; year: number; department: CodeName; district: CodeName }
>;
/** `department` and `district` are the registered ones; the document must name the same codes. */
export type ImportEvaluation = Command<
  'ImportEvaluation',
  { evaluationId: string; content: DocumentContent; department: CodeName; district: CodeName }
>;
/** Replaces the funding block: lines with an `id` are kept and changed, others are added, missing ones removed. */
export type UpdateFunding = Command<'UpdateFunding', { weight?: unknown; lines?: unknown }>;
export type AddFundingLine = Command<'AddFundingLine', { line: unknown; index?: number | null }>;
export type ChangeFundingLine = Command<'ChangeFundingLine', { lineId: string; changes: unknown }>;
export type RemoveFundingLine = Command<'RemoveFundingLine', { lineId: string }>;
export type UpdateNarrative = Command<
  'UpdateNarrative',
  { functions?: unknown; goals?: unknown; independentAccountingUnits?: unknown }
>;
export type AddIndicator = Command<'AddIndicator', { row: unknown; index?: number | null }>;
/** Only the fields given change. */
export type UpdateIndicator = Command<'UpdateIndicator', { rowId: string; changes: unknown }>;
export type RemoveIndicator = Command<'RemoveIndicator', { rowId: string }>;
export type MoveIndicator = Command<'MoveIndicator', { rowId: string; toIndex: number }>;
export type SubmitEvaluation = Command<'SubmitEvaluation', { policy?: ScoringPolicy }>;
export type WithdrawEvaluation = Command<'WithdrawEvaluation', Record<string, never>>;
export type ReturnEvaluation = Command<'ReturnEvaluation', { comment: string }>;
export type ApproveEvaluation = Command<
  'ApproveEvaluation',
  { comment?: string | null; adjustedTotal?: unknown; adjustmentReason?: string | null }
>;
export type ReopenEvaluation = Command<'ReopenEvaluation', { reason: string }>;

export type EvaluationCommand =
  | CreateEvaluation
  | ImportEvaluation
  | UpdateFunding
  | AddFundingLine
  | ChangeFundingLine
  | RemoveFundingLine
  | UpdateNarrative
  | AddIndicator
  | UpdateIndicator
  | RemoveIndicator
  | MoveIndicator
  | SubmitEvaluation
  | WithdrawEvaluation
  | ReturnEvaluation
  | ApproveEvaluation
  | ReopenEvaluation;

export type EvaluationCommandType = EvaluationCommand['type'];
