import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ProjectionRunner, type EventStore, type SqliteDatabase } from '@app/event-store';
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
import { evaluationView } from './evaluation.view';
import type { Evaluation, EvaluationConnection } from './evaluation.types';
import { EvaluationSort, type EvaluationFilter } from './evaluation.inputs';

type CommandWithoutMetadata = {
  [C in EvaluationCommand as C['type']]: Omit<C, 'metadata'>;
}[EvaluationCommand['type']];

const ORDER: Record<EvaluationSort, string> = {
  [EvaluationSort.DEPARTMENT]: 's.department_code ASC',
  [EvaluationSort.TOTAL_DESC]: 's.final_total_hundredths IS NULL, s.final_total_hundredths DESC',
  [EvaluationSort.TOTAL_ASC]: 's.final_total_hundredths IS NULL, s.final_total_hundredths ASC',
  [EvaluationSort.EXECUTION_RATE_DESC]: 's.rate_hundredths IS NULL, s.rate_hundredths DESC',
  [EvaluationSort.EXECUTION_RATE_ASC]: 's.rate_hundredths IS NULL, s.rate_hundredths ASC',
  [EvaluationSort.UPDATED_DESC]: 's.updated_at DESC',
};

const MAX_PAGE = 100;
const encodeCursor = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');
function decodeCursor(cursor: string | undefined | null): number {
  if (!cursor) return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new BadInput([{ code: 'INVALID_VALUE', path: 'after', message: '游标无效' }]);
  return Number(match[1]);
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

  async registeredDepartment(code: string, path: string): Promise<RegisteredDepartment> {
    const department = await findDepartment(this.store, code);
    if (!department) throw new BadInput([{ code: 'INVALID_VALUE', path, message: `部门 ${code} 尚未登记` }]);
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
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (actor.role === 'DEPARTMENT') {
      where.push('s.department_code = @scopeDepartment');
      params.scopeDepartment = actor.department;
    } else if (actor.district !== undefined) {
      where.push('s.district_code = @scopeDistrict');
      params.scopeDistrict = actor.district;
    }
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
    const limit = Math.min(Math.max(first, 0), MAX_PAGE);
    const offset = decodeCursor(after);
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = (
      this.db.prepare(`SELECT COUNT(*) AS n FROM evaluation_summaries s ${clause}`).get(params) as {
        n: number;
      }
    ).n;
    const rows = this.db
      .prepare(
        `SELECT st.state FROM evaluation_summaries s JOIN evaluation_states st ON st.evaluation_id = s.evaluation_id
         ${clause} ORDER BY ${ORDER[sort]}, s.evaluation_id LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit, offset }) as Array<{ state: string }>;
    const edges = rows.map((row, i) => ({
      cursor: encodeCursor(offset + i + 1),
      node: evaluationView(JSON.parse(row.state) as ExistingEvaluationState),
    }));
    return {
      edges,
      pageInfo: {
        hasNextPage: offset + rows.length < total,
        endCursor: edges.length ? edges[edges.length - 1].cursor : null,
      },
      totalCount: total,
    };
  }
}
