import { verifyStreamIntegrity, type EventStore, type IntegrityReport } from '@app/event-store';
import { diffForms, type Evaluation, type FieldChange } from '@app/domain';
import { evaluationStreamId } from '../evaluation/evaluation-stream';
import { readEvaluation } from '../evaluation/read-evaluation';

/** The form as it was after `version` events, or at an instant (every event that occurred by then). */
export function evaluationAt(
  store: EventStore,
  evaluationId: string,
  when: { version?: number; at?: Date },
): Promise<Evaluation> {
  return readEvaluation(store, evaluationId, when);
}

/** Field-level difference between two versions of a form. */
export async function evaluationDiff(
  store: EventStore,
  evaluationId: string,
  fromVersion: number,
  toVersion: number,
): Promise<FieldChange[]> {
  const [from, to] = await Promise.all([
    readEvaluation(store, evaluationId, { version: fromVersion }),
    readEvaluation(store, evaluationId, { version: toVersion }),
  ]);
  if (to.status === 'NONE') return [];
  return diffForms(from.status === 'NONE' ? null : from.form, to.form);
}

export function verifyEvaluationIntegrity(store: EventStore, evaluationId: string): Promise<IntegrityReport> {
  return verifyStreamIntegrity(store, evaluationStreamId(evaluationId));
}
