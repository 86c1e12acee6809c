import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '../common/page-info';
import { ActorRef } from '../evaluations/evaluation.types';

@ObjectType()
export class FieldChange {
  @Field({ description: 'e.g. "indicators[r3].actual" (rows by their stable id)' }) path!: string;
  @Field(() => String, { nullable: true }) before!: string | null;
  @Field(() => String, { nullable: true }) after!: string | null;
}

@ObjectType()
export class HistoryEntry {
  @Field(() => Int) version!: number;
  @Field() type!: string;
  @Field(() => GraphQLISODateTime) occurredAt!: Date;
  @Field(() => ActorRef) actor!: ActorRef;
  @Field() correlationId!: string;
  @Field(() => [FieldChange]) changes!: FieldChange[];
}

@ObjectType()
export class HistoryEdge {
  @Field() cursor!: string;
  @Field(() => HistoryEntry) node!: HistoryEntry;
}

@ObjectType()
export class HistoryConnection {
  @Field(() => [HistoryEdge]) edges!: HistoryEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType()
export class IntegrityReport {
  @Field() ok!: boolean;
  @Field(() => Int) checkedEvents!: number;
  @Field(() => Int, {
    nullable: true,
    description: 'version of the first event whose hash link does not match',
  })
  firstBrokenVersion!: number | null;
}
