import {
  prepared,
  revisionToVersion,
  type Projection,
  type SqliteDatabase,
  type StoredEvent,
  type TableName,
} from '@app/event-store';
import { changesOf } from '@app/domain';
import { EVALUATION_STREAM_PREFIX, evaluationIdOfStream, toDomainEvent } from '@app/application';

/** Every change of every form, in order: version, type, actor, time, and field-level before/after. */
export class AuditHistoryProjection implements Projection {
  readonly name = 'audit-history';
  readonly version = 1;
  readonly tables = ['audit_entries'];
  readonly streamPrefixes = [EVALUATION_STREAM_PREFIX];

  schema(t: TableName): string {
    return `CREATE TABLE ${t('audit_entries')} (
      evaluation_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      event_id TEXT NOT NULL,
      type TEXT NOT NULL,
      actor_id TEXT NOT NULL,
      actor_role TEXT NOT NULL,
      occurred_at TEXT NOT NULL,
      correlation_id TEXT NOT NULL,
      causation_id TEXT NOT NULL,
      changes TEXT NOT NULL,
      PRIMARY KEY (evaluation_id, version)
    ) WITHOUT ROWID;`;
  }

  applyBatch(db: SqliteDatabase, t: TableName, events: readonly StoredEvent[]): void {
    const insert = prepared(db, `INSERT INTO ${t('audit_entries')} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const stored of events) {
      const { metadata } = stored;
      insert.run(
        evaluationIdOfStream(stored.streamId),
        revisionToVersion(stored.revision),
        stored.eventId,
        stored.type,
        metadata.actor.id,
        metadata.actor.role,
        metadata.occurredAt,
        metadata.correlationId,
        metadata.causationId,
        JSON.stringify(changesOf(toDomainEvent(stored))),
      );
    }
  }
}
