import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { ActorRefView, EvaluationStateEnum } from '../evaluations/evaluation.types';
import { CodeNameView } from '../registry/registry.types';

@ObjectType('EvaluationChange', {
  description: 'One event on a form, as it reached the event log; refetch `evaluation(id)` for the rest',
})
export class EvaluationChangeView {
  @Field(() => ID) evaluationId!: string;
  @Field(() => Int, { description: 'the form’s version after this change' }) version!: number;
  @Field({ description: 'the event, e.g. IndicatorChanged, EvaluationSubmitted' }) eventType!: string;
  @Field(() => ActorRefView, { description: 'who made the change' }) actor!: ActorRefView;
  @Field(() => GraphQLISODateTime) occurredAt!: Date;
  @Field(() => EvaluationStateEnum, { description: 'the form’s state after this change' }) state!: string;
  @Field(() => Int) year!: number;
  @Field(() => CodeNameView) department!: CodeNameView;
  @Field(() => CodeNameView) district!: CodeNameView;
}
