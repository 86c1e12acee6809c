import { Inject, Injectable } from '@nestjs/common';
import { prepared, type SqliteDatabase } from '@app/event-store';
import type { Actor } from '@app/domain';
import { READ_MODELS } from '../event-store/event-store.module';
import { scopeCondition } from '../common/read-scope';
import type { CodeNameView, DepartmentView } from './registry.types';

interface DepartmentRow {
  code: string;
  name: string;
  district_code: string;
  district_name: string;
}

/**
 * The registry's read models (`districts`, `departments`), always within the caller's scope: a department
 * itself, a supervisor or auditor their district, an admin all.
 */
@Injectable()
export class RegistryQueries {
  constructor(@Inject(READ_MODELS) private readonly db: SqliteDatabase) {}

  /** Registered departments, by code, of one district when `districtCode` is given. */
  departments(actor: Actor, districtCode: string | null): DepartmentView[] {
    const params: Record<string, unknown> = { district: districtCode };
    const scope = scopeCondition(actor, { district: 'd.district_code', department: 'd.code' }, params);
    const rows = prepared(
      this.db,
      `SELECT d.code, d.name, d.district_code, t.name AS district_name
       FROM departments d JOIN districts t ON t.code = d.district_code
       WHERE (@district IS NULL OR d.district_code = @district) AND ${scope} ORDER BY d.code`,
    ).all(params) as DepartmentRow[];
    return rows.map((row) => ({
      code: row.code,
      name: row.name,
      district: { code: row.district_code, name: row.district_name },
    }));
  }

  /** Registered districts, by code. */
  districts(actor: Actor): CodeNameView[] {
    // The districts table has no department column: a department sees the district it belongs to.
    if (actor.role === 'DEPARTMENT') return this.departments(actor, null).map((d) => d.district);
    const params: Record<string, unknown> = {};
    const scope = scopeCondition(actor, { district: 'code' }, params);
    return prepared(this.db, `SELECT code, name FROM districts WHERE ${scope} ORDER BY code`).all(
      params,
    ) as CodeNameView[];
  }
}
