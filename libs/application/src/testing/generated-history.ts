import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@app/event-store';
import type { EvaluationEvent, EvaluationForm } from '@app/domain';
import { toNewEvent } from '../evaluation/evaluation-stream';

const METADATA = {
  actor: { id: 'generator', role: 'DEPARTMENT' },
  correlationId: 'generated',
  causationId: 'generated',
  occurredAt: '2022-03-01T08:00:00.000Z',
};

/**
 * A generated history for one form: its import, then edits of actuals cycling through the rows. Used by
 * fault tests and benchmarks that need many realistic events quickly.
 */
export function generatedEvaluationEvents(
  baseForm: EvaluationForm,
  index: number,
  count: number,
): { evaluationId: string; events: NewEvent[] } {
  const code = `dept-${index}`;
  const evaluationId = `${code}.${baseForm.year}`;
  const form: EvaluationForm = { ...baseForm, department: { code, name: `部门${index}` } };
  const domain: EvaluationEvent[] = [
    { type: 'EvaluationImported', data: { evaluationId, form, importedAt: METADATA.occurredAt } },
  ];
  const actuals = new Map(form.indicators.map((row) => [row.id, row.actual]));
  for (let i = 1; i < count; i++) {
    const row = form.indicators[i % form.indicators.length];
    const after = String((i % 50) + 1);
    domain.push({
      type: 'IndicatorChanged',
      data: {
        evaluationId,
        rowId: row.id,
        before: { actual: actuals.get(row.id) },
        after: { actual: after },
      },
    });
    actuals.set(row.id, after);
  }
  return { evaluationId, events: domain.map((event) => toNewEvent(event, randomUUID(), METADATA)) };
}
