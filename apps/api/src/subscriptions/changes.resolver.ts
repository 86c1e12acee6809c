import { Args, Context, ID, Int, Resolver, Subscription } from '@nestjs/graphql';
import { EvaluationNotFound, canSee } from '@app/domain';
import { requireActor, type RequestContext } from '../graphql/request-context';
import { EvaluationsService } from '../evaluations/evaluations.service';
import { EvaluationChangeFeed, type EvaluationChange } from './change-feed';
import { changesFrom } from './change-iterator';
import { EvaluationChangeView } from './changes.types';

const asIs = (change: EvaluationChange) => change;

/**
 * Live changes over graphql-ws (subscription-server.ts), scoped like the matching queries: a form as
 * `evaluation(id)` shows it, a district-year's forms as `evaluations` lists them.
 */
@Resolver(() => EvaluationChangeView)
export class ChangesResolver {
  constructor(
    private readonly feed: EvaluationChangeFeed,
    private readonly evaluations: EvaluationsService,
  ) {}

  @Subscription(() => EvaluationChangeView, {
    resolve: asIs,
    description:
      'Each change to a form the caller may read. Missing or out of scope: NOT_FOUND, as a command on it would answer',
  })
  async evaluationChanged(
    @Context() context: RequestContext,
    @Args('evaluationId', { type: () => ID }) evaluationId: string,
  ): Promise<AsyncIterableIterator<EvaluationChange>> {
    const actor = requireActor(context);
    // A subscription cannot answer null like the query: it ends with the error a command on it gets.
    if (!(await this.evaluations.visibleState(actor, evaluationId)))
      throw new EvaluationNotFound(evaluationId);
    return changesFrom(this.feed, (change) => change.evaluationId === evaluationId);
  }

  @Subscription(() => EvaluationChangeView, {
    resolve: asIs,
    description:
      'Each change to a form of this district and year, among the forms the caller may list (a department: its own)',
  })
  async districtEvaluationsChanged(
    @Context() context: RequestContext,
    @Args('districtCode') districtCode: string,
    @Args('year', { type: () => Int }) year: number,
  ): Promise<AsyncIterableIterator<EvaluationChange>> {
    const actor = requireActor(context);
    // Out of scope: accepted and silent, as the list answers no rows for a district the caller cannot see.
    return changesFrom(
      this.feed,
      (change) =>
        change.district.code === districtCode &&
        change.year === year &&
        canSee(actor, { department: change.department.code, district: change.district.code }),
    );
  }
}
