import { Inject, Injectable } from '@nestjs/common';
import { prepared, type SqliteDatabase } from '@app/event-store';
import type { Actor, ExistingEvaluationState } from '@app/domain';
import { READ_MODELS } from '../event-store/event-store.module';
import { connectionOf, decodeCursor, pageSize } from '../common/connection';
import { scopeCondition } from '../common/read-scope';
import { evaluationView } from './evaluation.view';
import type { EvaluationConnection } from './evaluation.types';
import { EvaluationSort, type EvaluationFilter } from './evaluation.inputs';

/** A list's order: one column (NULLs last where it has them), then the evaluation id to break ties. */
interface SortKey {
  column: string;
  descending: boolean;
  nullable: boolean;
}

const SORT_KEYS: Record<EvaluationSort, SortKey> = {
  [EvaluationSort.DEPARTMENT]: { column: 's.department_code', descending: false, nullable: false },
  [EvaluationSort.TOTAL_DESC]: { column: 's.final_total_hundredths', descending: true, nullable: true },
  [EvaluationSort.TOTAL_ASC]: { column: 's.final_total_hundredths', descending: false, nullable: true },
  [EvaluationSort.EXECUTION_RATE_DESC]: { column: 's.rate_hundredths', descending: true, nullable: true },
  [EvaluationSort.EXECUTION_RATE_ASC]: { column: 's.rate_hundredths', descending: false, nullable: true },
  [EvaluationSort.UPDATED_DESC]: { column: 's.updated_at', descending: true, nullable: false },
};

/** The filter's fields and the summary columns they match exactly. */
const FILTER_COLUMNS: Array<[keyof EvaluationFilter, string]> = [
  ['districtCode', 's.district_code'],
  ['year', 's.year'],
  ['state', 's.state'],
  ['grade', 's.grade'],
  ['departmentCode', 's.department_code'],
];

const orderBy = ({ column, descending, nullable }: SortKey) =>
  `${nullable ? `${column} IS NULL, ` : ''}${column} ${descending ? 'DESC' : 'ASC'}, s.evaluation_id`;

/**
 * A cursor is the last row's sort value and id (keyset paging): forms edited while a supervisor pages
 * through a list move themselves, but never shift the others into a repeat or a gap as offsets did.
 */
interface Cursor {
  sort: EvaluationSort;
  value: string | number | null;
  id: string;
}

/** The cursor's parts as this list gave them out, or BAD_USER_INPUT on `after` (also from another order). */
function readCursor(cursor: string | undefined | null, sort: EvaluationSort): Cursor | null {
  if (!cursor) return null;
  // Nullable keys are integer hundredths; the others (codes, instants) are text.
  const { nullable } = SORT_KEYS[sort];
  const [, value, id] = decodeCursor(
    cursor,
    (parts): parts is [EvaluationSort, Cursor['value'], string] =>
      parts[0] === sort &&
      (nullable ? parts[1] === null || Number.isInteger(parts[1]) : typeof parts[1] === 'string') &&
      typeof parts[2] === 'string',
    '游标无效（或来自另一种排序）',
  );
  return { sort, value, id };
}

/** Rows strictly after the cursor in the key's order. */
function afterCursor(key: SortKey, cursor: Cursor, params: Record<string, unknown>): string {
  params.cursorId = cursor.id;
  if (cursor.value === null) return `(${key.column} IS NULL AND s.evaluation_id > @cursorId)`;
  params.cursorValue = cursor.value;
  const beyond = `(${key.column} ${key.descending ? '<' : '>'} @cursorValue OR (${key.column} = @cursorValue AND s.evaluation_id > @cursorId))`;
  return key.nullable ? `(${beyond} OR ${key.column} IS NULL)` : beyond;
}

/**
 * The forms' list, from the summaries read model (filter, order, count) and the states read model (each
 * row's form), always within the caller's scope. One form by id is not read here but from its stream
 * (EvaluationsService.find), which is always current.
 */
@Injectable()
export class EvaluationQueries {
  constructor(@Inject(READ_MODELS) private readonly db: SqliteDatabase) {}

  /** One page of the forms that match `filter`, in `sort` order (by department unless given), 20 unless `first`. */
  list(
    actor: Actor,
    filter: EvaluationFilter | null,
    sort: EvaluationSort | null,
    first: number | null,
    after: string | null,
  ): EvaluationConnection {
    const order = sort ?? EvaluationSort.DEPARTMENT;
    const params: Record<string, unknown> = {};
    const where = [
      scopeCondition(actor, { district: 's.district_code', department: 's.department_code' }, params),
    ];
    for (const [field, column] of FILTER_COLUMNS) {
      const value = filter?.[field];
      if (value === undefined || value === null) continue;
      where.push(`${column} = @${field}`);
      params[field] = value;
    }
    const limit = pageSize(first);
    const key = SORT_KEYS[order];
    const clause = `WHERE ${where.join(' AND ')}`;
    // Statements are kept per SQL text: the filters, orders and cursor give a few hundred shapes at most.
    const total = (
      prepared(this.db, `SELECT COUNT(*) AS n FROM evaluation_summaries s ${clause}`).get(params) as {
        n: number;
      }
    ).n;
    const cursor = readCursor(after, order);
    if (cursor) where.push(afterCursor(key, cursor, params));
    const pageClause = `WHERE ${where.join(' AND ')}`;
    // One row more than asked says whether there is a next page.
    const rows = prepared(
      this.db,
      `SELECT ${key.column} AS sort_value, s.evaluation_id, st.state
       FROM evaluation_summaries s JOIN evaluation_states st ON st.evaluation_id = s.evaluation_id
       ${pageClause} ORDER BY ${orderBy(key)} LIMIT @limit`,
    ).all({ ...params, limit: limit + 1 }) as Array<{
      sort_value: string | number | null;
      evaluation_id: string;
      state: string;
    }>;
    const page = connectionOf(
      rows,
      limit,
      (row) => [order, row.sort_value, row.evaluation_id],
      (row) => evaluationView(JSON.parse(row.state) as ExistingEvaluationState),
    );
    return { ...page, totalCount: total };
  }
}
