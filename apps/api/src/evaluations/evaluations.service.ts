import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ProjectionRunner, prepared, type EventStore, type SqliteDatabase } from '@app/event-store';
import {
  BadInput,
  EvaluationNotFound,
  canSee,
  evaluationIdFor,
  type Actor,
  type EvaluationCommand,
  type ExistingEvaluationState,
} from '@app/evaluation';
import {
  EvaluationStateCache,
  evaluationStreamId,
  findDepartment,
  handleEvaluationCommand,
  readEvaluation,
  type RegisteredDepartment,
} from '@app/evaluations';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { EVENT_STORE, READ_MODELS } from '../event-store/event-store.module';
import type { RequestContext } from '../graphql/request-context';
import { connectionOf, decodeCursor, pageSize } from '../common/connection';
import { scopeCondition } from '../common/read-scope';
import { evaluationView } from './evaluation.view';
import type { Evaluation, EvaluationConnection } from './evaluation.types';
import { EvaluationSort, type EvaluationFilter } from './evaluation.inputs';

type CommandWithoutMetadata = {
  [C in EvaluationCommand as C['type']]: Omit<C, 'metadata'>;
}[EvaluationCommand['type']];

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

/** The evaluation slice behind the resolvers: commands with read-your-writes, and scoped reads. */
@Injectable()
export class EvaluationsService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly db: SqliteDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runner: ProjectionRunner,
    private readonly cache: EvaluationStateCache,
  ) {}

  /** Runs a command, waits (bounded) until the read models show it, and returns the form after it. */
  async execute(
    evaluationId: string,
    command: CommandWithoutMetadata,
    context: RequestContext,
    actor: Actor,
    expectedVersion?: number,
  ): Promise<Evaluation> {
    const full = { ...command, metadata: { actor, now: new Date(), expectedVersion } } as EvaluationCommand;
    const outcome = await handleEvaluationCommand(this.store, evaluationId, full, {
      correlationId: context.correlationId,
      commandId: randomUUID(),
      cache: this.cache,
    });
    if (outcome.position) {
      await this.runner.waitFor(outcome.position, {
        streamId: evaluationStreamId(evaluationId),
        timeoutMs: this.config.readYourWritesTimeoutMs,
      });
    }
    if (outcome.state.status === 'NONE') throw new EvaluationNotFound(evaluationId);
    return evaluationView(outcome.state);
  }

  /**
   * The registered department a new form is for, if the caller may act for it. A department outside the
   * caller's scope is refused exactly like an unregistered one, so the answer never tells which codes
   * exist elsewhere.
   */
  async departmentInScope(actor: Actor, code: string, path: string): Promise<RegisteredDepartment> {
    const department = await findDepartment(this.store, code);
    if (!department || !canSee(actor, { department: department.code, district: department.district.code }))
      throw new BadInput([
        { code: 'INVALID_VALUE', path, message: `部门 ${code} 未登记，或不在您的权限范围内` },
      ]);
    return department;
  }

  evaluationIdFor(departmentCode: string, year: number): string {
    return evaluationIdFor(departmentCode, year);
  }

  /** The current state, if the caller may see it; out of scope looks exactly like missing. */
  async visibleState(actor: Actor, evaluationId: string): Promise<ExistingEvaluationState | null> {
    const state = await readEvaluation(this.store, evaluationId, {}, this.cache);
    if (state.status === 'NONE') return null;
    return canSee(actor, { department: state.form.department.code, district: state.form.district.code })
      ? state
      : null;
  }

  async find(actor: Actor, evaluationId: string): Promise<Evaluation | null> {
    const state = await this.visibleState(actor, evaluationId);
    return state ? evaluationView(state) : null;
  }

  /** Lists from the summaries read model, always within the caller's scope. */
  list(
    actor: Actor,
    filter: EvaluationFilter,
    sort: EvaluationSort,
    first: number,
    after?: string | null,
  ): EvaluationConnection {
    const params: Record<string, unknown> = {};
    const where = [
      scopeCondition(actor, { district: 's.district_code', department: 's.department_code' }, params),
    ];
    const filters: Array<[keyof EvaluationFilter, string]> = [
      ['districtCode', 's.district_code'],
      ['year', 's.year'],
      ['state', 's.state'],
      ['grade', 's.grade'],
      ['departmentCode', 's.department_code'],
    ];
    for (const [key, column] of filters) {
      if (filter[key] === undefined || filter[key] === null) continue;
      where.push(`${column} = @${key}`);
      params[key] = filter[key];
    }
    const limit = pageSize(first, 20);
    const key = SORT_KEYS[sort];
    const clause = `WHERE ${where.join(' AND ')}`;
    // Statements are kept per SQL text: the filters, orders and cursor give a few hundred shapes at most.
    const total = (
      prepared(this.db, `SELECT COUNT(*) AS n FROM evaluation_summaries s ${clause}`).get(params) as {
        n: number;
      }
    ).n;
    const cursor = readCursor(after, sort);
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
      (row) => [sort, row.sort_value, row.evaluation_id],
      (row) => evaluationView(JSON.parse(row.state) as ExistingEvaluationState),
    );
    return { ...page, totalCount: total };
  }
}
