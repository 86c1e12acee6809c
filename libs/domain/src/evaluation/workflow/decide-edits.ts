import type { FundingLine, FundingLineFields, Goals, IndicatorFields } from '../form/form';
import { readFundingLine, readIndicatorFields } from '../interchange/evaluation-document';
import { InputReader } from '../interchange/input-reader';
import type {
  AddFundingLine,
  AddIndicator,
  ChangeFundingLine,
  MoveIndicator,
  RemoveFundingLine,
  RemoveIndicator,
  UpdateFunding,
  UpdateIndicator,
  UpdateNarrative,
} from './commands';
import { BadInput } from '../../errors';
import type { ExistingEvaluationState } from './evaluation';
import type { EvaluationEvent, FundingLineChanged, IndicatorChanged } from './events';

/** Runs a reading of user input; any problem rejects the whole command, so nothing is half-applied. */
function read<T>(readWith: (reader: InputReader) => T): T {
  const reader = new InputReader();
  const value = readWith(reader);
  if (!reader.ok) throw new BadInput(reader.problems);
  return value;
}

/**
 * A command's input as its sender meant it. GraphQL clients send null for "not given" as readily as they
 * leave a field out, so null is dropped, except for the fields a null clears (CLEARABLE_*). This is the
 * only place that knows it: the API hands its arguments over untouched.
 */
function givenFields(value: unknown, clearable: readonly string[] = []): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).filter(
      ([key, field]) => field !== undefined && (field !== null || clearable.includes(key)),
    ),
  );
}

/** The fields of a funding line a null clears. */
export const CLEARABLE_LINE_FIELDS = ['initialBudget'] as const;
/** The fields of an indicator row a null clears: a score not given yet, a polarity or level not set. */
export const CLEARABLE_ROW_FIELDS = ['score', 'polarity', 'qualitativeLevel'] as const;

function unknownRow(path: string, what: string): BadInput {
  return new BadInput([{ code: 'INVALID_VALUE', path, message: `没有这个${what}` }]);
}

/** The fields that differ, as before/after pairs; null when nothing changed. */
function diff<T extends object>(before: T, after: T): { before: Partial<T>; after: Partial<T> } | null {
  const changed = (Object.keys(after) as Array<keyof T>).filter((key) => before[key] !== after[key]);
  if (changed.length === 0) return null;
  const pick = (source: T) => Object.fromEntries(changed.map((key) => [key, source[key]])) as Partial<T>;
  return { before: pick(before), after: pick(after) };
}

function fieldsOf<T extends { id: string }>(item: T): Omit<T, 'id'> {
  const { id: _id, ...fields } = item;
  return fields;
}

function indexInput(reader: InputReader, index: unknown, path: string, size: number): number {
  if (index === undefined || index === null) return size;
  return reader.integer(index, path, 0, size) ?? size;
}

// ---- funding ---------------------------------------------------------------------------------------

export function decideUpdateFunding(
  command: UpdateFunding,
  state: ExistingEvaluationState,
): EvaluationEvent[] {
  const evaluationId = state.id;
  const current = state.form.funding.lines;
  const input = givenFields(command.data) as typeof command.data;
  const { weight, desired } = read((reader) => {
    const weight = input.weight === undefined ? undefined : reader.weight(input.weight, 'input.weight');
    if (input.lines === undefined) return { weight, desired: undefined };
    const seen = new Set<string>();
    const lines = reader.array(input.lines, 'input.lines');
    const desired = lines.map((given, i) => {
      const item = givenFields(given, CLEARABLE_LINE_FIELDS);
      const path = `input.lines[${i}]`;
      const { id, ...rest } = (typeof item === 'object' && item !== null ? item : {}) as Record<
        string,
        unknown
      >;
      if (id !== undefined && id !== null && (typeof id !== 'string' || !current.some((l) => l.id === id))) {
        reader.problem('INVALID_VALUE', `${path}.id`, '没有这个资金行');
      } else if (typeof id === 'string' && seen.has(id)) {
        reader.problem('DUPLICATE', `${path}.id`, `资金行 ${id} 出现了两次`);
      }
      if (typeof id === 'string') seen.add(id);
      const fields = readFundingLine(reader, typeof item === 'object' && item !== null ? rest : item, path);
      return { id: typeof id === 'string' ? id : null, fields };
    });
    return { weight, desired };
  });

  const events: EvaluationEvent[] = [];
  if (weight !== undefined && weight !== null && weight !== state.form.funding.weight) {
    events.push({
      type: 'FundingWeightChanged',
      data: { evaluationId, before: state.form.funding.weight, after: weight },
    });
  }
  if (!desired) return events;

  let lines: FundingLine[] = [...current];
  for (const line of current) {
    if (desired.some((d) => d.id === line.id)) continue;
    events.push({ type: 'FundingLineRemoved', data: { evaluationId, line, index: lines.indexOf(line) } });
    lines = lines.filter((l) => l !== line);
  }
  let nextNumber = state.nextLineNumber;
  const finalIds: string[] = [];
  for (const { id, fields } of desired) {
    if (id === null) {
      const line: FundingLine = { id: `f${nextNumber++}`, ...fields };
      events.push({ type: 'FundingLineAdded', data: { evaluationId, line, index: lines.length } });
      lines = [...lines, line];
      finalIds.push(line.id);
      continue;
    }
    const existing = lines.find((l) => l.id === id)!;
    const change = diff<FundingLineFields>(fieldsOf(existing), fields);
    if (change) events.push({ type: 'FundingLineChanged', data: { evaluationId, lineId: id, ...change } });
    finalIds.push(id);
  }
  const order = lines.map((l) => l.id);
  if (order.join('\u0000') !== finalIds.join('\u0000')) {
    events.push({ type: 'FundingLinesReordered', data: { evaluationId, before: order, after: finalIds } });
  }
  return events;
}

export function decideAddFundingLine(
  command: AddFundingLine,
  state: ExistingEvaluationState,
): EvaluationEvent[] {
  const lines = state.form.funding.lines;
  const { fields, index } = read((reader) => ({
    fields: readFundingLine(reader, givenFields(command.data.line, CLEARABLE_LINE_FIELDS), 'input.line'),
    index: indexInput(reader, command.data.index, 'input.index', lines.length),
  }));
  const line: FundingLine = { id: `f${state.nextLineNumber}`, ...fields };
  return [{ type: 'FundingLineAdded', data: { evaluationId: state.id, line, index } }];
}

export function decideChangeFundingLine(
  command: ChangeFundingLine,
  state: ExistingEvaluationState,
): EvaluationEvent[] {
  const existing = state.form.funding.lines.find((l) => l.id === command.data.lineId);
  if (!existing) throw unknownRow('input.lineId', '资金行');
  const before = fieldsOf(existing);
  const after = read((reader) => {
    const given = givenFields(command.data.changes, CLEARABLE_LINE_FIELDS);
    const changes = reader.record(given, 'input.changes', [], Object.keys(before)) ?? {};
    // Unknown fields are reported by the line above; reading them again would report each twice.
    const known = Object.fromEntries(Object.entries(changes).filter(([key]) => key in before));
    return readFundingLine(reader, { ...before, ...known }, 'input.changes');
  });
  const change = diff<FundingLineFields>(before, after);
  if (!change) return [];
  const event: FundingLineChanged = {
    type: 'FundingLineChanged',
    data: { evaluationId: state.id, lineId: existing.id, ...change },
  };
  return [event];
}

export function decideRemoveFundingLine(
  command: RemoveFundingLine,
  state: ExistingEvaluationState,
): EvaluationEvent[] {
  const index = state.form.funding.lines.findIndex((l) => l.id === command.data.lineId);
  if (index < 0) throw unknownRow('input.lineId', '资金行');
  return [
    {
      type: 'FundingLineRemoved',
      data: { evaluationId: state.id, line: state.form.funding.lines[index], index },
    },
  ];
}

// ---- narrative -------------------------------------------------------------------------------------

export function decideUpdateNarrative(
  command: UpdateNarrative,
  state: ExistingEvaluationState,
): EvaluationEvent[] {
  const { form, id: evaluationId } = state;
  const input = givenFields(command.data) as typeof command.data;
  const { functions, goals, units } = read((reader) => {
    const functions =
      input.functions === undefined ? undefined : reader.text(input.functions, 'input.functions');
    let goals: Goals | undefined;
    if (input.goals !== undefined) {
      const record = reader.record(givenFields(input.goals), 'input.goals', [], ['planned', 'achieved']);
      goals = {
        planned:
          record?.planned === undefined
            ? form.goals.planned
            : reader.text(record.planned, 'input.goals.planned'),
        achieved:
          record?.achieved === undefined
            ? form.goals.achieved
            : reader.text(record.achieved, 'input.goals.achieved'),
      };
    }
    const units =
      input.independentAccountingUnits === undefined
        ? undefined
        : reader.integer(input.independentAccountingUnits, 'input.independentAccountingUnits', 0, 100_000);
    return { functions, goals, units };
  });
  const events: EvaluationEvent[] = [];
  if (functions !== undefined && functions !== form.functions) {
    events.push({
      type: 'FunctionsChanged',
      data: { evaluationId, before: form.functions, after: functions },
    });
  }
  if (goals && (goals.planned !== form.goals.planned || goals.achieved !== form.goals.achieved)) {
    events.push({ type: 'GoalsChanged', data: { evaluationId, before: form.goals, after: goals } });
  }
  if (units !== undefined && units !== null && units !== form.independentAccountingUnits) {
    events.push({
      type: 'IndependentAccountingUnitsChanged',
      data: { evaluationId, before: form.independentAccountingUnits, after: units },
    });
  }
  return events;
}

// ---- indicators ------------------------------------------------------------------------------------

export function decideAddIndicator(command: AddIndicator, state: ExistingEvaluationState): EvaluationEvent[] {
  const rows = state.form.indicators;
  const { fields, index } = read((reader) => ({
    fields: readIndicatorFields(reader, givenFields(command.data.row, CLEARABLE_ROW_FIELDS), 'input.row'),
    index: indexInput(reader, command.data.index, 'input.index', rows.length),
  }));
  if (rows.length >= 500)
    throw new BadInput([{ code: 'TOO_MANY_ROWS', path: 'input.row', message: '指标最多 500 行' }]);
  return [
    {
      type: 'IndicatorAdded',
      data: { evaluationId: state.id, row: { id: `r${state.nextRowNumber}`, ...fields }, index },
    },
  ];
}

export function decideUpdateIndicator(
  command: UpdateIndicator,
  state: ExistingEvaluationState,
): EvaluationEvent[] {
  const row = state.form.indicators.find((r) => r.id === command.data.rowId);
  if (!row) throw unknownRow('input.rowId', '指标行');
  const before = fieldsOf(row);
  const changes = givenFields(command.data.changes, CLEARABLE_ROW_FIELDS);
  const after = read((reader) => readIndicatorFields(reader, changes, 'input.changes', before));
  const change = diff<IndicatorFields>(before, after);
  if (!change) return [];
  const event: IndicatorChanged = {
    type: 'IndicatorChanged',
    data: { evaluationId: state.id, rowId: row.id, ...change },
  };
  return [event];
}

export function decideRemoveIndicator(
  command: RemoveIndicator,
  state: ExistingEvaluationState,
): EvaluationEvent[] {
  const index = state.form.indicators.findIndex((r) => r.id === command.data.rowId);
  if (index < 0) throw unknownRow('input.rowId', '指标行');
  return [
    { type: 'IndicatorRemoved', data: { evaluationId: state.id, row: state.form.indicators[index], index } },
  ];
}

export function decideMoveIndicator(
  command: MoveIndicator,
  state: ExistingEvaluationState,
): EvaluationEvent[] {
  const rows = state.form.indicators;
  const fromIndex = rows.findIndex((r) => r.id === command.data.rowId);
  if (fromIndex < 0) throw unknownRow('input.rowId', '指标行');
  const toIndex = read(
    (reader) => reader.integer(command.data.toIndex, 'input.toIndex', 0, rows.length - 1) ?? 0,
  );
  if (toIndex === fromIndex) return [];
  return [
    {
      type: 'IndicatorMoved',
      data: { evaluationId: state.id, rowId: command.data.rowId, fromIndex, toIndex },
    },
  ];
}
