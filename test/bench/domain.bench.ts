import { performance } from 'node:perf_hooks';
import { decide, foldEvaluation, type Actor, type EvaluationEvent, type EvaluationForm } from '@app/domain';
import { exampleForm } from '@app/domain/testing/fixtures';

/** A 1,000-event history: the example imported, then 999 edits of actuals, scores and texts. */
export function thousandEventHistory(form: EvaluationForm = exampleForm()): EvaluationEvent[] {
  const events: EvaluationEvent[] = [
    {
      type: 'EvaluationImported',
      data: { evaluationId: 'bench', form, importedAt: new Date(0).toISOString() },
    },
  ];
  for (let i = 1; i < 1000; i++) {
    const row = form.indicators[i % form.indicators.length];
    events.push(
      i % 3 === 0
        ? { type: 'FunctionsChanged', data: { evaluationId: 'bench', before: `v${i - 3}`, after: `v${i}` } }
        : {
            type: 'IndicatorChanged',
            data: {
              evaluationId: 'bench',
              rowId: row.id,
              before: { actual: String(i - 1) },
              after: { actual: String(i) },
            },
          },
    );
  }
  return events;
}

function microsecondsPerOp(iterations: number, op: () => void): number {
  for (let i = 0; i < Math.min(50, iterations); i++) op(); // warm-up
  const start = performance.now();
  for (let i = 0; i < iterations; i++) op();
  return ((performance.now() - start) * 1000) / iterations;
}

export async function domainBenchmarks(): Promise<Record<string, number>> {
  const history = thousandEventHistory();
  const clerk: Actor = { id: 'bench', role: 'DEPARTMENT', department: 'wangcheng-shzlfwzx' };
  const state = foldEvaluation(history);
  const foldUs = microsecondsPerOp(500, () => foldEvaluation(history));
  const decideUs = microsecondsPerOp(20_000, () =>
    decide(
      {
        type: 'UpdateIndicator',
        data: { rowId: 'r2', changes: { actual: '24', score: '5' } },
        metadata: { actor: clerk, now: new Date(0), expectedVersion: state.version },
      },
      state,
    ),
  );
  const submitUs = microsecondsPerOp(5_000, () =>
    decide(
      {
        type: 'SubmitEvaluation',
        data: {},
        metadata: { actor: clerk, now: new Date(0), expectedVersion: state.version },
      },
      state,
    ),
  );
  return {
    'domain.fold1000EventsUs': round(foldUs),
    'domain.decideEditUs': round(decideUs),
    'domain.decideSubmitWithValidationUs': round(submitUs),
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
