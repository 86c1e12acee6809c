import type { Projection, SqliteDatabase, StoredEvent, TableName } from '@app/event-store';
import { REPORT_STREAM_PREFIX, type GeneratedReport } from '@app/application';

/** Every generated district report, kept whole for reading and exporting. */
export class DistrictReportsProjection implements Projection {
  readonly name = 'district-reports';
  readonly version = 1;
  readonly tables = ['district_reports'];
  readonly streamPrefixes = [REPORT_STREAM_PREFIX];

  schema(t: TableName): string {
    return `CREATE TABLE ${t('district_reports')} (
      report_id TEXT PRIMARY KEY,
      district_code TEXT NOT NULL,
      year INTEGER NOT NULL,
      computed_at TEXT NOT NULL,
      position TEXT,
      report TEXT NOT NULL
    );
    CREATE INDEX ${t('district_reports')}_latest ON ${t('district_reports')} (district_code, year, computed_at);`;
  }

  applyBatch(db: SqliteDatabase, t: TableName, events: readonly StoredEvent[]): void {
    const insert = db.prepare(`INSERT INTO ${t('district_reports')} VALUES (?, ?, ?, ?, ?, ?)`);
    for (const stored of events) {
      if (stored.type !== 'DistrictReportGenerated')
        throw new Error(`unknown report event type ${stored.type}`);
      const { reportId, position, report } = stored.data as GeneratedReport;
      insert.run(
        reportId,
        report.districtCode,
        report.year,
        report.computedAt,
        position,
        JSON.stringify(report),
      );
    }
  }
}
