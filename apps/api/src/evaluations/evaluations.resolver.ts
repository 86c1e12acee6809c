import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { COMMAND_ROLES, type Actor } from '@app/domain';
import { DecimalScalar, JsonScalar } from '../graphql/scalars';
import { pageComplexity } from '../common/connection';
import { Allowed, Caller } from '../graphql/allowed';
import { requireActor, type RequestContext } from '../graphql/request-context';
import {
  CreateEvaluationInput,
  EvaluationFilter,
  EvaluationSort,
  FundingLineChangesInput,
  FundingLineInput,
  IndicatorInput,
  UpdateFundingInput,
  UpdateNarrativeInput,
} from './evaluation.inputs';
import { EvaluationView, EvaluationConnection } from './evaluation.types';
import { EvaluationQueries } from './evaluations.queries';
import { EvaluationsService, type CommandWithoutMetadata } from './evaluations.service';

/**
 * Thin: who is calling, then the service (commands, one form) or the queries (the list). The domain decides
 * and checks role and scope again.
 */
@Resolver(() => EvaluationView)
export class EvaluationsResolver {
  constructor(
    private readonly service: EvaluationsService,
    private readonly queries: EvaluationQueries,
  ) {}

  /** A command on an existing form, as the calling user, on the version they saw. */
  private run(
    context: RequestContext,
    id: string,
    expectedVersion: number,
    command: CommandWithoutMetadata,
  ): Promise<EvaluationView> {
    return this.service.execute(id, command, context, requireActor(context), expectedVersion);
  }

  @Query(() => EvaluationView, {
    nullable: true,
    description: 'null when missing or outside the caller’s scope',
  })
  evaluation(
    @Context() context: RequestContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<EvaluationView | null> {
    return this.service.find(requireActor(context), id);
  }

  @Query(() => EvaluationConnection, { complexity: pageComplexity() })
  evaluations(
    @Context() context: RequestContext,
    @Args('filter', { type: () => EvaluationFilter, nullable: true }) filter: EvaluationFilter | null,
    @Args('sort', { type: () => EvaluationSort, nullable: true }) sort: EvaluationSort | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): EvaluationConnection {
    return this.queries.list(requireActor(context), filter, sort, first, after);
  }

  @Mutation(() => EvaluationView, {
    description: 'A draft built from an interchange document (documentVersion 1; see docs/interchange.md)',
  })
  @Allowed(COMMAND_ROLES.ImportEvaluation)
  importEvaluation(
    @Context() context: RequestContext,
    @Caller() actor: Actor,
    @Args('document', { type: () => JsonScalar }) document: unknown,
  ): Promise<EvaluationView> {
    return this.service.importEvaluation(document, context, actor);
  }

  @Mutation(() => EvaluationView)
  @Allowed(COMMAND_ROLES.CreateEvaluation)
  createEvaluation(
    @Context() context: RequestContext,
    @Caller() actor: Actor,
    @Args('input') input: CreateEvaluationInput,
  ): Promise<EvaluationView> {
    return this.service.createEvaluation(input, context, actor);
  }

  @Mutation(() => EvaluationView)
  updateFunding(
    @Context() context: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
    @Args('input') input: UpdateFundingInput,
  ): Promise<EvaluationView> {
    return this.run(context, id, expectedVersion, { type: 'UpdateFunding', data: input });
  }

  @Mutation(() => EvaluationView, {
    description: 'A new funding line (id f1, f2 …, never reused), last unless index says where',
  })
  addFundingLine(
    @Context() context: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
    @Args('input') input: FundingLineInput,
    @Args('index', { type: () => Int, nullable: true }) index: number | null,
  ): Promise<EvaluationView> {
    return this.run(context, id, expectedVersion, { type: 'AddFundingLine', data: { line: input, index } });
  }

  @Mutation(() => EvaluationView, { description: 'Only the fields given change' })
  changeFundingLine(
    @Context() context: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
    @Args('lineId', { type: () => ID }) lineId: string,
    @Args('input') input: FundingLineChangesInput,
  ): Promise<EvaluationView> {
    return this.run(context, id, expectedVersion, {
      type: 'ChangeFundingLine',
      data: { lineId, changes: input },
    });
  }

  @Mutation(() => EvaluationView)
  removeFundingLine(
    @Context() context: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
    @Args('lineId', { type: () => ID }) lineId: string,
  ): Promise<EvaluationView> {
    return this.run(context, id, expectedVersion, { type: 'RemoveFundingLine', data: { lineId } });
  }

  @Mutation(() => EvaluationView)
  updateNarrative(
    @Context() context: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
    @Args('input') input: UpdateNarrativeInput,
  ): Promise<EvaluationView> {
    return this.run(context, id, expectedVersion, { type: 'UpdateNarrative', data: input });
  }

  @Mutation(() => EvaluationView)
  addIndicator(
    @Context() context: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
    @Args('input') input: IndicatorInput,
    @Args('index', { type: () => Int, nullable: true }) index: number | null,
  ): Promise<EvaluationView> {
    return this.run(context, id, expectedVersion, { type: 'AddIndicator', data: { row: input, index } });
  }

  @Mutation(() => EvaluationView, { description: 'Only the fields given change' })
  updateIndicator(
    @Context() context: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
    @Args('rowId', { type: () => ID }) rowId: string,
    @Args('input') input: IndicatorInput,
  ): Promise<EvaluationView> {
    return this.run(context, id, expectedVersion, {
      type: 'UpdateIndicator',
      data: { rowId, changes: input },
    });
  }

  @Mutation(() => EvaluationView)
  removeIndicator(
    @Context() context: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
    @Args('rowId', { type: () => ID }) rowId: string,
  ): Promise<EvaluationView> {
    return this.run(context, id, expectedVersion, { type: 'RemoveIndicator', data: { rowId } });
  }

  @Mutation(() => EvaluationView)
  moveIndicator(
    @Context() context: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
    @Args('rowId', { type: () => ID }) rowId: string,
    @Args('toIndex', { type: () => Int }) toIndex: number,
  ): Promise<EvaluationView> {
    return this.run(context, id, expectedVersion, { type: 'MoveIndicator', data: { rowId, toIndex } });
  }

  @Mutation(() => EvaluationView, {
    description: 'Runs validation; refused with VALIDATION_FAILED listing every error',
  })
  submitEvaluation(
    @Context() context: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
  ): Promise<EvaluationView> {
    return this.run(context, id, expectedVersion, { type: 'SubmitEvaluation', data: {} });
  }

  @Mutation(() => EvaluationView)
  withdrawEvaluation(
    @Context() context: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
  ): Promise<EvaluationView> {
    return this.run(context, id, expectedVersion, { type: 'WithdrawEvaluation', data: {} });
  }

  @Mutation(() => EvaluationView)
  returnEvaluation(
    @Context() context: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
    @Args('comment') comment: string,
  ): Promise<EvaluationView> {
    return this.run(context, id, expectedVersion, { type: 'ReturnEvaluation', data: { comment } });
  }

  @Mutation(() => EvaluationView)
  approveEvaluation(
    @Context() context: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
    @Args('comment', { type: () => String, nullable: true }) comment: string | null,
    @Args('adjustedTotal', { type: () => DecimalScalar, nullable: true })
    adjustedTotal: string | number | null,
    @Args('adjustmentReason', { type: () => String, nullable: true }) adjustmentReason: string | null,
  ): Promise<EvaluationView> {
    const data = { comment, adjustedTotal, adjustmentReason };
    return this.run(context, id, expectedVersion, { type: 'ApproveEvaluation', data });
  }

  @Mutation(() => EvaluationView)
  reopenEvaluation(
    @Context() context: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
    @Args('reason') reason: string,
  ): Promise<EvaluationView> {
    return this.run(context, id, expectedVersion, { type: 'ReopenEvaluation', data: { reason } });
  }
}
