import type { Projection, SqliteDatabase, StoredEvent, TableName } from '@app/event-store';
import { NOTIFICATION_STREAM_PREFIX, type ReminderRecorded } from '@app/application';

/** A department's notifications (reminders and overdue notices), newest first, with delivery state. */
export class NotificationsProjection implements Projection {
  readonly name = 'notifications';
  readonly version = 1;
  readonly tables = ['notifications'];
  readonly streamPrefixes = [NOTIFICATION_STREAM_PREFIX];

  schema(t: TableName): string {
    return `CREATE TABLE ${t('notifications')} (
      event_id TEXT PRIMARY KEY,
      department_code TEXT NOT NULL,
      cycle_id TEXT NOT NULL,
      milestone TEXT NOT NULL,
      kind TEXT NOT NULL,
      deadline TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      delivered_at TEXT,
      seq INTEGER NOT NULL
    );
    CREATE INDEX ${t('notifications')}_by_department ON ${t('notifications')} (department_code, seq);`;
  }

  applyBatch(db: SqliteDatabase, t: TableName, events: readonly StoredEvent[]): void {
    for (const stored of events) {
      if (stored.type === 'ReminderRecorded') {
        const r = stored.data as ReminderRecorded;
        db.prepare(`INSERT INTO ${t('notifications')} VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)`).run(
          stored.eventId,
          r.department.code,
          r.cycleId,
          r.milestone,
          r.kind,
          r.deadline,
          r.recordedAt,
          Number(stored.position.commit),
        );
      } else if (stored.type === 'ReminderDelivered') {
        const { reminderEventId, deliveredAt } = stored.data as {
          reminderEventId: string;
          deliveredAt: string;
        };
        db.prepare(`UPDATE ${t('notifications')} SET delivered_at = ? WHERE event_id = ?`).run(
          deliveredAt,
          reminderEventId,
        );
      } else {
        throw new Error(`unknown notification event type ${stored.type}`);
      }
    }
  }
}
