import { Inject } from '@nestjs/common';
import { Args, GraphQLISODateTime, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { prepared, type EventStore, type SqliteDatabase } from '@app/event-store';
import { BadInput, type FieldChange as DomainFieldChange, READ_ROLES, type Actor } from '@app/evaluation';
import { evaluationAt, evaluationDiff, verifyEvaluationIntegrity } from '@app/evaluations';
import { connectionOf, decodeCursor, pageSize } from '../common/connection';
import { Allowed, Caller } from '../graphql/allowed';
import { EVENT_STORE, READ_MODELS } from '../event-store/event-store.module';
import { Evaluation } from '../evaluations/evaluation.types';
import { evaluationView } from '../evaluations/evaluation.view';
import { EvaluationsService } from '../evaluations/evaluations.service';
import { FieldChange, HistoryConnection, IntegrityReport } from './audit.types';

interface AuditRow {
  version: number;
  type: string;
  actor_id: string;
  actor_role: string;
  occurred_at: string;
  correlation_id: string;
  changes: string;
}

/** Auditors replay every change; supervisors and admins may too, each within their district. */
@Resolver()
export class AuditResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly db: SqliteDatabase,
    private readonly evaluations: EvaluationsService,
  ) {}

  @Query(() => HistoryConnection, {
    nullable: true,
    complexity: ({ args, childComplexity }) => pageSize(args.first, 50) * childComplexity,
  })
  @Allowed(READ_ROLES.audit)
  async evaluationHistory(
    @Caller() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<HistoryConnection | null> {
    if (!(await this.evaluations.visibleState(actor, id))) return null;
    const [from] = after
      ? decodeCursor(
          after,
          (parts): parts is [number] => Number.isInteger(parts[0]) && (parts[0] as number) >= 0,
        )
      : [0];
    const limit = pageSize(first, 50);
    const rows = prepared(
      this.db,
      'SELECT * FROM audit_entries WHERE evaluation_id = ? AND version > ? ORDER BY version LIMIT ?',
    ).all(id, from, limit + 1) as AuditRow[];
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
        changes: JSON.parse(row.changes) as DomainFieldChange[],
      }),
    );
  }

  @Query(() => Evaluation, {
    nullable: true,
    description: 'the form as it was at a version, or at an instant',
  })
  @Allowed(READ_ROLES.audit)
  async evaluationAt(
    @Caller() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('version', { type: () => Int, nullable: true }) version: number | null,
    @Args('at', { type: () => GraphQLISODateTime, nullable: true }) at: Date | null,
  ): Promise<Evaluation | null> {
    if (((version ?? null) === null) === ((at ?? null) === null)) {
      throw new BadInput([{ code: 'REQUIRED', path: 'version', message: '请给出 version 或 at 其中之一' }]);
    }
    if (!(await this.evaluations.visibleState(actor, id))) return null;
    const state = await evaluationAt(this.store, id, { version: version ?? undefined, at: at ?? undefined });
    return state.status === 'NONE' ? null : evaluationView(state);
  }

  @Query(() => [FieldChange])
  @Allowed(READ_ROLES.audit)
  async evaluationDiff(
    @Caller() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('fromVersion', { type: () => Int }) fromVersion: number,
    @Args('toVersion', { type: () => Int }) toVersion: number,
  ): Promise<FieldChange[]> {
    if (!(await this.evaluations.visibleState(actor, id))) return [];
    return evaluationDiff(this.store, id, fromVersion, toVersion);
  }

  @Query(() => IntegrityReport, { nullable: true })
  @Allowed(READ_ROLES.audit)
  async verifyEvaluationIntegrity(
    @Caller() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<IntegrityReport | null> {
    if (!(await this.evaluations.visibleState(actor, id))) return null;
    return verifyEvaluationIntegrity(this.store, id);
  }
}
