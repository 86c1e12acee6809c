import type { EvaluationForm, FundingLine, IndicatorRow } from '../form/form';
import type { ActorRef, EvaluationApproved, EvaluationEvent } from './events';

export const EVALUATION_STATUSES = ['DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED'] as const;
export type EvaluationStatus = (typeof EVALUATION_STATUSES)[number];

/** What the reviewer decided, as recorded by the approval event. */
export type Approval = Omit<EvaluationApproved['data'], 'evaluationId'>;

interface ExistingEvaluation {
  id: string;
  /** number of events folded so far; the version a client sends back with its next command */
  version: number;
  form: EvaluationForm;
  createdAt: string;
  /** next free numbers for row and line ids ("r12", "f3"): ids are never reused, even after a removal */
  nextRowNumber: number;
  nextLineNumber: number;
  /** when it was first submitted: on time or late against the cycle's deadline */
  firstSubmittedAt: string | null;
  /** when it was last submitted */
  lastSubmittedAt: string | null;
  /** the last return comment, shown to the department while it fixes the form */
  lastReturn: { returnedAt: string; by: ActorRef; comment: string } | null;
}

export type Evaluation =
  | { status: 'NONE'; version: 0 }
  | (ExistingEvaluation & { status: 'DRAFT' })
  | (ExistingEvaluation & { status: 'SUBMITTED'; submittedAt: string; submittedBy: ActorRef })
  | (ExistingEvaluation & { status: 'RETURNED' })
  | (ExistingEvaluation & { status: 'APPROVED'; approval: Approval });

export type ExistingEvaluationState = Exclude<Evaluation, { status: 'NONE' }>;

export const initialEvaluation = (): Evaluation => ({ status: 'NONE', version: 0 });

/** Stream-level identity: one form per department and year, so a second create lands on the same stream. */
export function evaluationIdFor(departmentCode: string, year: number): string {
  return `${departmentCode}.${year}`;
}

/** The department a form id names (the inverse of evaluationIdFor), or null for an id of no such shape. */
export function departmentOfEvaluationId(evaluationId: string): string | null {
  const match = /^(.+)\.\d{4}$/.exec(evaluationId);
  return match ? match[1] : null;
}

function idNumber(id: string): number {
  const match = /^[a-z](\d+)$/.exec(id);
  return match ? Number.parseInt(match[1], 10) : 0;
}

function moved<T>(items: readonly T[], from: number, to: number): T[] {
  const copy = [...items];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item);
  return copy;
}

function insertedAt<T>(items: readonly T[], item: T, index: number): T[] {
  return [...items.slice(0, index), item, ...items.slice(index)];
}

function withForm(state: ExistingEvaluationState, form: EvaluationForm): ExistingEvaluationState {
  return { ...state, form };
}

function mapRow(
  form: EvaluationForm,
  rowId: string,
  change: (row: IndicatorRow) => IndicatorRow,
): EvaluationForm {
  return { ...form, indicators: form.indicators.map((row) => (row.id === rowId ? change(row) : row)) };
}

function mapLines(form: EvaluationForm, change: (lines: FundingLine[]) => FundingLine[]): EvaluationForm {
  return { ...form, funding: { ...form.funding, lines: change(form.funding.lines) } };
}

function created(id: string, form: EvaluationForm, at: string): ExistingEvaluationState {
  return {
    status: 'DRAFT',
    id,
    version: 0,
    form,
    createdAt: at,
    nextRowNumber: Math.max(0, ...form.indicators.map((r) => idNumber(r.id))) + 1,
    nextLineNumber: Math.max(0, ...form.funding.lines.map((l) => idNumber(l.id))) + 1,
    firstSubmittedAt: null,
    lastSubmittedAt: null,
    lastReturn: null,
  };
}

/** Back to the common fields when the status changes: what only one status carries is dropped. */
function base(state: ExistingEvaluationState): ExistingEvaluationState & { status: 'DRAFT' } {
  const {
    submittedAt: _submittedAt,
    submittedBy: _submittedBy,
    approval: _approval,
    ...common
  } = state as ExistingEvaluation & { submittedAt?: string; submittedBy?: ActorRef; approval?: Approval };
  return { ...common, status: 'DRAFT' };
}

function apply(state: ExistingEvaluationState, event: EvaluationEvent): ExistingEvaluationState {
  const { form } = state;
  switch (event.type) {
    case 'EvaluationCreated':
    case 'EvaluationImported':
      return state;
    case 'FundingLineAdded':
      return {
        ...withForm(
          state,
          mapLines(form, (lines) => insertedAt(lines, event.data.line, event.data.index)),
        ),
        nextLineNumber: Math.max(state.nextLineNumber, idNumber(event.data.line.id) + 1),
      };
    case 'FundingLineChanged':
      return withForm(
        state,
        mapLines(form, (lines) =>
          lines.map((l) => (l.id === event.data.lineId ? { ...l, ...event.data.after } : l)),
        ),
      );
    case 'FundingLineRemoved':
      return withForm(
        state,
        mapLines(form, (lines) => lines.filter((l) => l.id !== event.data.line.id)),
      );
    case 'FundingLinesReordered': {
      const byId = new Map(form.funding.lines.map((l) => [l.id, l]));
      return withForm(
        state,
        mapLines(form, () => event.data.after.map((id) => byId.get(id)!).filter(Boolean)),
      );
    }
    case 'FundingWeightChanged':
      return withForm(state, { ...form, funding: { ...form.funding, weight: event.data.after } });
    case 'FunctionsChanged':
      return withForm(state, { ...form, functions: event.data.after });
    case 'GoalsChanged':
      return withForm(state, { ...form, goals: { ...event.data.after } });
    case 'IndependentAccountingUnitsChanged':
      return withForm(state, { ...form, independentAccountingUnits: event.data.after });
    case 'IndicatorAdded':
      return {
        ...withForm(state, {
          ...form,
          indicators: insertedAt(form.indicators, event.data.row, event.data.index),
        }),
        nextRowNumber: Math.max(state.nextRowNumber, idNumber(event.data.row.id) + 1),
      };
    case 'IndicatorChanged':
      return withForm(
        state,
        mapRow(form, event.data.rowId, (row) => ({ ...row, ...event.data.after })),
      );
    case 'IndicatorRemoved':
      return withForm(state, {
        ...form,
        indicators: form.indicators.filter((r) => r.id !== event.data.row.id),
      });
    case 'IndicatorMoved': {
      const from = form.indicators.findIndex((r) => r.id === event.data.rowId);
      if (from < 0) return state;
      return withForm(state, { ...form, indicators: moved(form.indicators, from, event.data.toIndex) });
    }
    case 'EvaluationSubmitted':
      return {
        ...base(state),
        status: 'SUBMITTED',
        submittedAt: event.data.submittedAt,
        submittedBy: event.data.by,
        firstSubmittedAt: state.firstSubmittedAt ?? event.data.submittedAt,
        lastSubmittedAt: event.data.submittedAt,
      };
    case 'EvaluationWithdrawn':
      return base(state);
    case 'EvaluationReturned': {
      const { returnedAt, by, comment } = event.data;
      return { ...base(state), status: 'RETURNED', lastReturn: { returnedAt, by, comment } };
    }
    case 'EvaluationApproved': {
      const { evaluationId: _id, ...approval } = event.data;
      return { ...base(state), status: 'APPROVED', approval };
    }
    case 'EvaluationReopened':
      return {
        ...base(state),
        status: 'RETURNED',
        lastReturn: { returnedAt: event.data.reopenedAt, by: event.data.by, comment: event.data.reason },
      };
  }
}

/** Pure: the state after one more event. Every event of an existing form adds one to its version. */
export function evolve(state: Evaluation, event: EvaluationEvent): Evaluation {
  if (state.status === 'NONE') {
    if (event.type === 'EvaluationCreated')
      return { ...created(event.data.evaluationId, event.data.form, event.data.createdAt), version: 1 };
    if (event.type === 'EvaluationImported')
      return { ...created(event.data.evaluationId, event.data.form, event.data.importedAt), version: 1 };
    return state;
  }
  return { ...apply(state, event), version: state.version + 1 };
}

/** Folds a stream (or its first n events, for "the form as it was at version n"). */
export function foldEvaluation(events: Iterable<EvaluationEvent>): Evaluation {
  let state = initialEvaluation();
  for (const event of events) state = evolve(state, event);
  return state;
}
