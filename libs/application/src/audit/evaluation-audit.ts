import { verifyStreamIntegrity, type EventStore, type IntegrityReport } from '@app/event-store';
import { diffForms, type Evaluation, type FieldChange } from '@app/domain';
import { evaluationStreamId } from '../evaluation/evaluation-stream';
import {
  readEvaluation,
  readEvaluationVersions,
  type EvaluationSnapshots,
} from '../evaluation/read-evaluation';

/**
 * The form as it was after `version` events (from the latest snapshot at or before it, when there is
 * one), or at an instant (every event that occurred by then, folded from the first).
 */
export function evaluationAt(
  store: EventStore,
  evaluationId: string,
  when: { version?: number; at?: Date },
  snapshots?: EvaluationSnapshots,
): Promise<Evaluation> {
  return readEvaluation(store, evaluationId, { ...when, snapshots });
}

/**
 * Field-level difference between two versions of a form, from one pass over its stream (up to the later
 * of the two). Nothing when the form did not exist at `toVersion`; everything the form holds when it did
 * not exist yet at `fromVersion`.
 */
export async function evaluationDiff(
  store: EventStore,
  evaluationId: string,
  fromVersion: number,
  toVersion: number,
  snapshots?: EvaluationSnapshots,
): Promise<FieldChange[]> {
  const [from, to] = await readEvaluationVersions(store, evaluationId, [fromVersion, toVersion], snapshots);
  if (to.status === 'NONE') return [];
  return diffForms(from.status === 'NONE' ? null : from.form, to.form);
}

/** Whether the form's event chain is intact. A form with no events checks none (`checkedEvents: 0`). */
export function verifyEvaluationIntegrity(store: EventStore, evaluationId: string): Promise<IntegrityReport> {
  return verifyStreamIntegrity(store, evaluationStreamId(evaluationId));
}

/**
 * Whether the form has any event, from a read of at most one event and no fold: a form's stream begins
 * with its creation (or import), so any event at all means the form exists.
 */
export async function evaluationExists(store: EventStore, evaluationId: string): Promise<boolean> {
  return (await store.readStream(evaluationStreamId(evaluationId), { maxCount: 1 })).length > 0;
}
