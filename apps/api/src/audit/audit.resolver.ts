import { Args, GraphQLISODateTime, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { BadInput, READ_ROLES, type Actor } from '@app/domain';
import { pageComplexity } from '../common/connection';
import { Allowed, Caller } from '../graphql/allowed';
import { COSTS, costs } from '../graphql/costs';
import { EvaluationView } from '../evaluations/evaluation.types';
import { EvaluationsService } from '../evaluations/evaluations.service';
import { AuditQueries, HISTORY_PAGE } from './audit.queries';
import { FieldChangeView, HistoryConnection, IntegrityReportView } from './audit.types';

/**
 * Auditors replay every change; supervisors and admins may too, each within their district. A form
 * outside the caller's scope reads exactly like a missing one: the scope is told from the id alone
 * (`outOfScope`, which reads no form), and whether the form exists from the one read each query makes.
 */
@Resolver()
export class AuditResolver {
  constructor(
    private readonly evaluations: EvaluationsService,
    private readonly queries: AuditQueries,
  ) {}

  @Query(() => HistoryConnection, {
    nullable: true,
    complexity: pageComplexity(HISTORY_PAGE),
  })
  @Allowed(READ_ROLES.audit)
  async evaluationHistory(
    @Caller() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<HistoryConnection | null> {
    return (await this.evaluations.outOfScope(actor, id)) ? null : this.queries.history(id, first, after);
  }

  @Query(() => EvaluationView, {
    complexity: costs(COSTS.foldOrReport),
    nullable: true,
    description: 'the form as it was at a version, or at an instant',
  })
  @Allowed(READ_ROLES.audit)
  async evaluationAt(
    @Caller() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('version', { type: () => Int, nullable: true }) version: number | null,
    @Args('at', { type: () => GraphQLISODateTime, nullable: true }) at: Date | null,
  ): Promise<EvaluationView | null> {
    if (((version ?? null) === null) === ((at ?? null) === null)) {
      throw new BadInput([{ code: 'REQUIRED', path: 'version', message: '请给出 version 或 at 其中之一' }]);
    }
    if (await this.evaluations.outOfScope(actor, id)) return null;
    return this.queries.at(id, { version: version ?? undefined, at: at ?? undefined });
  }

  @Query(() => [FieldChangeView], { complexity: costs(COSTS.twoFoldsOrHashes) })
  @Allowed(READ_ROLES.audit)
  async evaluationDiff(
    @Caller() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
    @Args('fromVersion', { type: () => Int }) fromVersion: number,
    @Args('toVersion', { type: () => Int }) toVersion: number,
  ): Promise<FieldChangeView[]> {
    return (await this.evaluations.outOfScope(actor, id))
      ? []
      : this.queries.diff(id, fromVersion, toVersion);
  }

  @Query(() => IntegrityReportView, { nullable: true, complexity: costs(COSTS.twoFoldsOrHashes) })
  @Allowed(READ_ROLES.audit)
  async verifyEvaluationIntegrity(
    @Caller() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<IntegrityReportView | null> {
    return (await this.evaluations.outOfScope(actor, id)) ? null : this.queries.integrity(id);
  }
}
