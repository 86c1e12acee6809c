import {
  prepared,
  type Projection,
  type SqliteDatabase,
  type StoredEvent,
  type TableName,
} from '@app/event-store';
import type { DepartmentRegistered, DistrictRegistered } from '@app/domain';
import { DEPARTMENT_STREAM_PREFIX, DISTRICT_STREAM_PREFIX } from '@app/application';

/** A registered department, as the worker's jobs name it. */
export interface RegisteredDepartmentRow {
  code: string;
  name: string;
}

/** Every registered department of a district, by code: whom a reminder or a district report covers. */
export function departmentsOfDistrict(db: SqliteDatabase, districtCode: string): RegisteredDepartmentRow[] {
  return prepared<[string], RegisteredDepartmentRow>(
    db,
    'SELECT code, name FROM departments WHERE district_code = ? ORDER BY code',
  ).all(districtCode);
}

/** Registered districts and departments, for listings and for "every department of the district". */
export class RegistryProjection implements Projection {
  readonly name = 'registry';
  readonly version = 1;
  readonly tables = ['districts', 'departments'];
  readonly streamPrefixes = [DISTRICT_STREAM_PREFIX, DEPARTMENT_STREAM_PREFIX];

  schema(t: TableName): string {
    return `
      CREATE TABLE ${t('districts')} (code TEXT PRIMARY KEY, name TEXT NOT NULL, registered_at TEXT NOT NULL);
      CREATE TABLE ${t('departments')} (
        code TEXT PRIMARY KEY, name TEXT NOT NULL, district_code TEXT NOT NULL, registered_at TEXT NOT NULL
      );
      CREATE INDEX ${t('departments')}_by_district ON ${t('departments')} (district_code);`;
  }

  applyBatch(db: SqliteDatabase, t: TableName, events: readonly StoredEvent[]): void {
    for (const stored of events) {
      if (stored.type === 'DistrictRegistered') {
        const { code, name, registeredAt } = stored.data as DistrictRegistered['data'];
        db.prepare(`INSERT INTO ${t('districts')} VALUES (?, ?, ?)`).run(code, name, registeredAt);
      } else if (stored.type === 'DepartmentRegistered') {
        const { code, name, districtCode, registeredAt } = stored.data as DepartmentRegistered['data'];
        db.prepare(`INSERT INTO ${t('departments')} VALUES (?, ?, ?, ?)`).run(
          code,
          name,
          districtCode,
          registeredAt,
        );
      } else {
        throw new Error(`unknown registry event type ${stored.type}`);
      }
    }
  }
}
