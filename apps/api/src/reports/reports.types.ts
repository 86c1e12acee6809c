import { Field, GraphQLISODateTime, ObjectType } from '@nestjs/graphql';
import type { DistrictReport } from '@app/domain';
import { JsonScalar } from '../graphql/scalars';

@ObjectType()
export class ReportSummary {
  @Field() id!: string;
  @Field(() => GraphQLISODateTime) computedAt!: Date;
  @Field(() => String, { nullable: true, description: 'position of the event log the report had seen' })
  position!: string | null;
}

@ObjectType()
export class DistrictReportView {
  @Field() id!: string;
  @Field(() => GraphQLISODateTime) computedAt!: Date;
  @Field(() => String, { nullable: true }) position!: string | null;
  @Field(() => JsonScalar, {
    description: 'counts, on-time vs late, averages, grades, sums, deductions and ranking',
  })
  content!: DistrictReport;
  @Field(() => [ReportSummary], { description: 'earlier reports, newest first' }) earlier!: ReportSummary[];
}

@ObjectType()
export class ReportJob {
  @Field() id!: string;
  @Field({ description: 'waiting, active, completed, failed, delayed…' }) state!: string;
  @Field(() => String, { nullable: true }) reportId!: string | null;
  @Field(() => String, { nullable: true }) failedReason!: string | null;
}
