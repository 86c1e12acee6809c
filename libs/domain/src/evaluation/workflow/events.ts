import type {
  EvaluationForm,
  FundingLine,
  FundingLineFields,
  Goals,
  IndicatorFields,
  IndicatorRow,
} from '../form/form';
import type { Role } from './actor';

type Event<Type extends string, Data> = Readonly<{ type: Type; data: Readonly<Data> }>;

/** Who did it, as recorded in workflow events (the envelope's metadata carries it for every event). */
export interface ActorRef {
  id: string;
  role: Role;
}

/*
 * Every edit event carries the before and after of exactly what it changed, so an auditor's
 * field-level history is read off the events without re-folding the stream.
 */
export type EvaluationCreated = Event<
  'EvaluationCreated',
  { evaluationId: string; form: EvaluationForm; createdAt: string }
>;
export type EvaluationImported = Event<
  'EvaluationImported',
  { evaluationId: string; form: EvaluationForm; importedAt: string }
>;
export type FundingLineAdded = Event<
  'FundingLineAdded',
  { evaluationId: string; line: FundingLine; index: number }
>;
export type FundingLineChanged = Event<
  'FundingLineChanged',
  {
    evaluationId: string;
    lineId: string;
    before: Partial<FundingLineFields>;
    after: Partial<FundingLineFields>;
  }
>;
export type FundingLineRemoved = Event<
  'FundingLineRemoved',
  { evaluationId: string; line: FundingLine; index: number }
>;
export type FundingLinesReordered = Event<
  'FundingLinesReordered',
  { evaluationId: string; before: string[]; after: string[] }
>;
export type FundingWeightChanged = Event<
  'FundingWeightChanged',
  { evaluationId: string; before: string; after: string }
>;
export type FunctionsChanged = Event<
  'FunctionsChanged',
  { evaluationId: string; before: string; after: string }
>;
export type GoalsChanged = Event<'GoalsChanged', { evaluationId: string; before: Goals; after: Goals }>;
export type IndependentAccountingUnitsChanged = Event<
  'IndependentAccountingUnitsChanged',
  { evaluationId: string; before: number; after: number }
>;
export type IndicatorAdded = Event<
  'IndicatorAdded',
  { evaluationId: string; row: IndicatorRow; index: number }
>;
export type IndicatorChanged = Event<
  'IndicatorChanged',
  { evaluationId: string; rowId: string; before: Partial<IndicatorFields>; after: Partial<IndicatorFields> }
>;
export type IndicatorRemoved = Event<
  'IndicatorRemoved',
  { evaluationId: string; row: IndicatorRow; index: number }
>;
export type IndicatorMoved = Event<
  'IndicatorMoved',
  { evaluationId: string; rowId: string; fromIndex: number; toIndex: number }
>;
export type EvaluationSubmitted = Event<
  'EvaluationSubmitted',
  { evaluationId: string; submittedAt: string; by: ActorRef; total: string; warnings: string[] }
>;
export type EvaluationWithdrawn = Event<
  'EvaluationWithdrawn',
  { evaluationId: string; withdrawnAt: string; by: ActorRef }
>;
export type EvaluationReturned = Event<
  'EvaluationReturned',
  { evaluationId: string; returnedAt: string; by: ActorRef; comment: string }
>;
export type EvaluationApproved = Event<
  'EvaluationApproved',
  {
    evaluationId: string;
    approvedAt: string;
    by: ActorRef;
    comment: string;
    selfAssessedTotal: string;
    /** 复核得分, null when the reviewer kept the self-assessed total */
    adjustedTotal: string | null;
    adjustmentReason: string | null;
  }
>;
export type EvaluationReopened = Event<
  'EvaluationReopened',
  { evaluationId: string; reopenedAt: string; by: ActorRef; reason: string }
>;

export type EvaluationEvent =
  | EvaluationCreated
  | EvaluationImported
  | FundingLineAdded
  | FundingLineChanged
  | FundingLineRemoved
  | FundingLinesReordered
  | FundingWeightChanged
  | FunctionsChanged
  | GoalsChanged
  | IndependentAccountingUnitsChanged
  | IndicatorAdded
  | IndicatorChanged
  | IndicatorRemoved
  | IndicatorMoved
  | EvaluationSubmitted
  | EvaluationWithdrawn
  | EvaluationReturned
  | EvaluationApproved
  | EvaluationReopened;

export type EvaluationEventType = EvaluationEvent['type'];

export const EVALUATION_EVENT_TYPES: readonly EvaluationEventType[] = [
  'EvaluationCreated',
  'EvaluationImported',
  'FundingLineAdded',
  'FundingLineChanged',
  'FundingLineRemoved',
  'FundingLinesReordered',
  'FundingWeightChanged',
  'FunctionsChanged',
  'GoalsChanged',
  'IndependentAccountingUnitsChanged',
  'IndicatorAdded',
  'IndicatorChanged',
  'IndicatorRemoved',
  'IndicatorMoved',
  'EvaluationSubmitted',
  'EvaluationWithdrawn',
  'EvaluationReturned',
  'EvaluationApproved',
  'EvaluationReopened',
];
