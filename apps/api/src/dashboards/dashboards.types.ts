import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { DecimalScalar } from '../graphql/scalars';

@ObjectType()
export class GradeCounts {
  @Field(() => Int) excellent!: number;
  @Field(() => Int) good!: number;
  @Field(() => Int) fair!: number;
  @Field(() => Int) poor!: number;
}

@ObjectType()
export class StateCounts {
  @Field(() => Int) draft!: number;
  @Field(() => Int) submitted!: number;
  @Field(() => Int) returned!: number;
  @Field(() => Int) approved!: number;
}

@ObjectType()
export class DistrictDashboard {
  @Field() districtCode!: string;
  @Field(() => Int) year!: number;
  @Field(() => Int) evaluations!: number;
  @Field(() => StateCounts) byState!: StateCounts;
  @Field(() => DecimalScalar, { nullable: true }) averageTotal!: string | null;
  @Field(() => DecimalScalar, { nullable: true }) medianTotal!: string | null;
  @Field(() => GradeCounts) grades!: GradeCounts;
  @Field(() => DecimalScalar, { description: 'ΣA in 万元' }) budget!: string;
  @Field(() => DecimalScalar, { description: 'ΣB in 万元' }) executed!: string;
  @Field(() => DecimalScalar, { description: 'ΣC in 万元' }) upperTransfer!: string;
  @Field(() => DecimalScalar, { nullable: true, description: '(ΣB − ΣC) / ΣA as a percentage' })
  executionRatePercent!: string | null;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
}
