import type { EvaluationForm, FundingLine, IndicatorRow } from '../form/form';
import type { EvaluationEvent } from '../workflow/events';

/** One field's before and after, as an auditor reads it. Objects are shown as JSON text. */
export interface FieldChange {
  path: string;
  before: string | null;
  after: string | null;
}

function show(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function change(path: string, before: unknown, after: unknown): FieldChange {
  return { path, before: show(before), after: show(after) };
}

function fieldPairs(
  prefix: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): FieldChange[] {
  return Object.keys(after).map((key) => change(`${prefix}.${key}`, before[key], after[key]));
}

/** Field-level changes recorded by one event (rows are addressed by their stable id). */
export function changesOf(event: EvaluationEvent): FieldChange[] {
  switch (event.type) {
    case 'EvaluationCreated':
    case 'EvaluationImported':
      return diffForms(null, event.data.form);
    case 'FundingLineAdded':
      return [change(`funding.lines[${event.data.line.id}]`, null, event.data.line)];
    case 'FundingLineChanged':
      return fieldPairs(`funding.lines[${event.data.lineId}]`, event.data.before, event.data.after);
    case 'FundingLineRemoved':
      return [change(`funding.lines[${event.data.line.id}]`, event.data.line, null)];
    case 'FundingLinesReordered':
      return [change('funding.lines.order', event.data.before, event.data.after)];
    case 'FundingWeightChanged':
      return [change('funding.weight', event.data.before, event.data.after)];
    case 'FunctionsChanged':
      return [change('functions', event.data.before, event.data.after)];
    case 'GoalsChanged':
      return fieldPairs('goals', { ...event.data.before }, { ...event.data.after }).filter(
        (c) => c.before !== c.after,
      );
    case 'IndependentAccountingUnitsChanged':
      return [change('independentAccountingUnits', event.data.before, event.data.after)];
    case 'IndicatorAdded':
      return [change(`indicators[${event.data.row.id}]`, null, event.data.row)];
    case 'IndicatorChanged':
      return fieldPairs(`indicators[${event.data.rowId}]`, event.data.before, event.data.after);
    case 'IndicatorRemoved':
      return [change(`indicators[${event.data.row.id}]`, event.data.row, null)];
    case 'IndicatorMoved':
      return [change(`indicators[${event.data.rowId}].position`, event.data.fromIndex, event.data.toIndex)];
    case 'EvaluationSubmitted':
      return [change('state', null, 'SUBMITTED')];
    case 'EvaluationWithdrawn':
      return [change('state', 'SUBMITTED', 'DRAFT')];
    case 'EvaluationReturned':
      return [change('state', 'SUBMITTED', 'RETURNED'), change('review.comment', null, event.data.comment)];
    case 'EvaluationApproved':
      return [
        change('state', 'SUBMITTED', 'APPROVED'),
        ...(event.data.comment ? [change('review.comment', null, event.data.comment)] : []),
        ...(event.data.adjustedTotal !== null
          ? [
              change('review.adjustedTotal', event.data.selfAssessedTotal, event.data.adjustedTotal),
              change('review.adjustmentReason', null, event.data.adjustmentReason),
            ]
          : []),
      ];
    case 'EvaluationReopened':
      return [
        change('state', 'APPROVED', 'RETURNED'),
        change('review.reopenReason', null, event.data.reason),
      ];
  }
}

function diffRows<T extends { id: string }>(
  path: string,
  before: readonly T[],
  after: readonly T[],
): FieldChange[] {
  const changes: FieldChange[] = [];
  const beforeById = new Map(before.map((item) => [item.id, item]));
  const afterById = new Map(after.map((item) => [item.id, item]));
  for (const item of before)
    if (!afterById.has(item.id)) changes.push(change(`${path}[${item.id}]`, item, null));
  for (const item of after) {
    const old = beforeById.get(item.id);
    if (!old) {
      changes.push(change(`${path}[${item.id}]`, null, item));
      continue;
    }
    for (const key of Object.keys(item) as Array<keyof T>) {
      if (key !== 'id' && old[key] !== item[key])
        changes.push(change(`${path}[${item.id}].${String(key)}`, old[key], item[key]));
    }
  }
  const kept = (items: readonly T[], other: Map<string, T>) =>
    items.filter((i) => other.has(i.id)).map((i) => i.id);
  const orderBefore = kept(before, afterById);
  const orderAfter = kept(after, beforeById);
  if (orderBefore.join('\u0000') !== orderAfter.join('\u0000'))
    changes.push(change(`${path}.order`, orderBefore, orderAfter));
  return changes;
}

/** The difference between two versions of a form, field by field (null `before`: everything is new). */
export function diffForms(before: EvaluationForm | null, after: EvaluationForm): FieldChange[] {
  const changes: FieldChange[] = [];
  const scalar = (path: string, pick: (f: EvaluationForm) => unknown) => {
    const old = before ? pick(before) : null;
    const now = pick(after);
    if (show(old) !== show(now)) changes.push(change(path, old, now));
  };
  scalar('year', (f) => f.year);
  scalar('department', (f) => f.department);
  scalar('district', (f) => f.district);
  scalar('independentAccountingUnits', (f) => f.independentAccountingUnits);
  scalar('funding.unit', (f) => f.funding.unit);
  scalar('funding.weight', (f) => f.funding.weight);
  changes.push(...diffRows<FundingLine>('funding.lines', before?.funding.lines ?? [], after.funding.lines));
  scalar('functions', (f) => f.functions);
  scalar('goals.planned', (f) => f.goals.planned);
  scalar('goals.achieved', (f) => f.goals.achieved);
  changes.push(...diffRows<IndicatorRow>('indicators', before?.indicators ?? [], after.indicators));
  scalar('declared', (f) => f.declared);
  return changes;
}
