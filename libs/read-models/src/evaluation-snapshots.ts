import { prepared, type SqliteDatabase } from '@app/event-store';
import type { Evaluation } from '@app/domain';
import type { EvaluationSnapshot, EvaluationSnapshots } from '@app/application';

/**
 * The snapshots the evaluation summaries projection keeps (evaluation_snapshots), as the application's
 * EvaluationSnapshots port: the latest at or before a version. The table may be behind the log; a
 * snapshot is a past state, exact whatever came after.
 */
export class SqliteEvaluationSnapshots implements EvaluationSnapshots {
  constructor(private readonly db: SqliteDatabase) {}

  atOrBefore(evaluationId: string, version: number): EvaluationSnapshot | null {
    const row = prepared<[string, number], { version: number; state: string }>(
      this.db,
      `SELECT version, state FROM evaluation_snapshots
       WHERE evaluation_id = ? AND version <= ? ORDER BY version DESC LIMIT 1`,
    ).get(evaluationId, version);
    return row ? { version: row.version, state: JSON.parse(row.state) as Evaluation } : null;
  }
}
