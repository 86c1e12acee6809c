import { Inject, Injectable } from '@nestjs/common';
import { prepared, type EventStore, type SqliteDatabase } from '@app/event-store';
import type { FieldChange } from '@app/domain';
import { evaluationAt, evaluationDiff, evaluationExists, verifyEvaluationIntegrity } from '@app/application';
import { SqliteEvaluationSnapshots } from '@app/read-models';
import { connectionOf, decodeCursor, pageSize } from '../common/connection';
import { EVENT_STORE, READ_MODELS } from '../event-store/event-store.module';
import type { EvaluationView } from '../evaluations/evaluation.types';
import { evaluationView } from '../evaluations/evaluation.view';
import type { FieldChangeView, HistoryConnection, IntegrityReportView } from './audit.types';

/** A history page's size when the caller gives no `first`. */
export const HISTORY_PAGE = 50;

interface AuditRow {
  version: number;
  type: string;
  actor_id: string;
  actor_role: string;
  occurred_at: string;
  correlation_id: string;
  changes: string;
}

/**
 * The audit slice's reads of one form: its history (the audit_entries read model; the only place this
 * slice's SQL lives), and its past states, diffs and hash chain (folded from its event stream). Each
 * reads the form's stream at most once, and tells a missing form from what it reads (null, or no
 * changes). The caller's scope is the resolver's to check first, from the id alone
 * (`EvaluationsService.outOfScope`), so that out of scope reads exactly like missing.
 */
@Injectable()
export class AuditQueries {
  /** Where folds to a past version start (the summaries read model's snapshots of long histories). */
  private readonly snapshots: SqliteEvaluationSnapshots;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly db: SqliteDatabase,
  ) {
    this.snapshots = new SqliteEvaluationSnapshots(db);
  }

  /**
   * A page of the form's changes by version, after the cursor (BAD_USER_INPUT at `after` if it is not one),
   * or null if the form does not exist, whatever the arguments. A page with rows shows the form exists;
   * only an empty page or a bad cursor asks the stream, for one event (the read model may not show a form
   * just created yet, so its having no rows does not say the form is missing).
   */
  async history(
    evaluationId: string,
    first: number | null,
    after: string | null,
  ): Promise<HistoryConnection | null> {
    let from: number;
    try {
      [from] = after
        ? decodeCursor(
            after,
            (parts): parts is [number] => Number.isInteger(parts[0]) && (parts[0] as number) >= 0,
          )
        : [0];
    } catch (error) {
      if (!(await evaluationExists(this.store, evaluationId))) return null;
      throw error;
    }
    const limit = pageSize(first, HISTORY_PAGE);
    const rows = prepared<[string, number, number], AuditRow>(
      this.db,
      'SELECT * FROM audit_entries WHERE evaluation_id = ? AND version > ? ORDER BY version LIMIT ?',
    ).all(evaluationId, from, limit + 1);
    if (rows.length === 0 && !(await evaluationExists(this.store, evaluationId))) return null;
    return connectionOf(
      rows,
      limit,
      (row) => [row.version],
      (row) => ({
        version: row.version,
        type: row.type,
        occurredAt: new Date(row.occurred_at),
        actor: { id: row.actor_id, role: row.actor_role },
        correlationId: row.correlation_id,
        changes: JSON.parse(row.changes) as FieldChange[],
      }),
    );
  }

  /** The form as it was at a version or an instant, or null if it did not exist yet. */
  async at(evaluationId: string, when: { version?: number; at?: Date }): Promise<EvaluationView | null> {
    const state = await evaluationAt(this.store, evaluationId, when, this.snapshots);
    return state.status === 'NONE' ? null : evaluationView(state);
  }

  /** What changed between two versions (nothing for a missing form), from one pass over the stream. */
  diff(evaluationId: string, fromVersion: number, toVersion: number): Promise<FieldChangeView[]> {
    return evaluationDiff(this.store, evaluationId, fromVersion, toVersion, this.snapshots);
  }

  /**
   * Whether the form's events still chain by their hashes, or null if the form does not exist: a stream
   * with no event checks none, and every stream with an event checks at least that one.
   */
  async integrity(evaluationId: string): Promise<IntegrityReportView | null> {
    const report = await verifyEvaluationIntegrity(this.store, evaluationId);
    return report.checkedEvents === 0 ? null : report;
  }
}
