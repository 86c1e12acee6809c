import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '../common/page-info';
import { ActorRefView } from '../evaluations/evaluation.types';

@ObjectType('FieldChange')
export class FieldChangeView {
  @Field({ description: 'e.g. "indicators[r3].actual" (rows by their stable id)' }) path!: string;
  @Field(() => String, { nullable: true }) before!: string | null;
  @Field(() => String, { nullable: true }) after!: string | null;
}

@ObjectType('HistoryEntry')
export class HistoryEntryView {
  @Field(() => Int) version!: number;
  @Field() type!: string;
  @Field(() => GraphQLISODateTime) occurredAt!: Date;
  @Field(() => ActorRefView) actor!: ActorRefView;
  @Field() correlationId!: string;
  @Field(() => [FieldChangeView]) changes!: FieldChangeView[];
}

@ObjectType()
export class HistoryEdge {
  @Field() cursor!: string;
  @Field(() => HistoryEntryView) node!: HistoryEntryView;
}

@ObjectType()
export class HistoryConnection {
  @Field(() => [HistoryEdge]) edges!: HistoryEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType('IntegrityReport')
export class IntegrityReportView {
  @Field() ok!: boolean;
  @Field(() => Int) checkedEvents!: number;
  @Field(() => Int, {
    nullable: true,
    description: 'version of the first event whose hash link does not match',
  })
  firstBrokenVersion!: number | null;
}
