import { Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { DecimalScalar } from '../graphql/scalars';
import { EvaluationStateEnum, GradeEnum, PolarityEnum, QualitativeLevelEnum } from './evaluation.types';

@InputType()
export class CreateEvaluationInput {
  @Field() departmentCode!: string;
  @Field(() => Int) year!: number;
}

@InputType()
export class FundingLineInput {
  @Field(() => String, { nullable: true, description: 'id of an existing line; leave out for a new line' })
  id?: string;
  @Field() source!: string;
  @Field(() => DecimalScalar) budget!: string | number;
  @Field(() => DecimalScalar) executed!: string | number;
  @Field(() => DecimalScalar, { nullable: true }) upperTransfer?: string | number;
  @Field(() => DecimalScalar, { nullable: true }) initialBudget?: string | number | null;
}

@InputType({
  description: 'Funding line fields; only the fields given change (initialBudget may be set to null)',
})
export class FundingLineChangesInput {
  @Field(() => String, { nullable: true }) source?: string;
  @Field(() => DecimalScalar, { nullable: true }) budget?: string | number;
  @Field(() => DecimalScalar, { nullable: true }) executed?: string | number;
  @Field(() => DecimalScalar, { nullable: true }) upperTransfer?: string | number;
  @Field(() => DecimalScalar, { nullable: true }) initialBudget?: string | number | null;
}

@InputType({
  description:
    'Replaces the funding block: lines with an id are kept and changed, new ones added, missing ones removed',
})
export class UpdateFundingInput {
  @Field(() => DecimalScalar, { nullable: true }) weight?: string | number;
  @Field(() => [FundingLineInput], { nullable: true }) lines?: FundingLineInput[];
}

@InputType()
export class GoalsInput {
  @Field(() => String, { nullable: true }) planned?: string;
  @Field(() => String, { nullable: true }) achieved?: string;
}

@InputType()
export class UpdateNarrativeInput {
  @Field(() => String, { nullable: true }) functions?: string;
  @Field(() => GoalsInput, { nullable: true }) goals?: GoalsInput;
  @Field(() => Int, { nullable: true }) independentAccountingUnits?: number;
}

@InputType({
  description:
    'Indicator fields; on update only the fields given change (score, polarity and qualitativeLevel may be set to null)',
})
export class IndicatorInput {
  @Field(() => String, { nullable: true }) level1?: string;
  @Field(() => String, { nullable: true }) level2?: string;
  @Field(() => String, { nullable: true }) level3?: string;
  @Field(() => String, { nullable: true }) content?: string;
  @Field(() => String, { nullable: true }) target?: string;
  @Field(() => String, { nullable: true }) actual?: string;
  @Field(() => DecimalScalar, { nullable: true }) weight?: string | number;
  @Field(() => DecimalScalar, { nullable: true }) score?: string | number | null;
  @Field(() => String, { nullable: true }) shortfallReason?: string;
  @Field(() => String, { nullable: true }) improvement?: string;
  @Field(() => PolarityEnum, { nullable: true }) polarity?: string | null;
  @Field(() => QualitativeLevelEnum, { nullable: true }) qualitativeLevel?: string | null;
}

export enum EvaluationSort {
  DEPARTMENT = 'DEPARTMENT',
  TOTAL_DESC = 'TOTAL_DESC',
  TOTAL_ASC = 'TOTAL_ASC',
  EXECUTION_RATE_DESC = 'EXECUTION_RATE_DESC',
  EXECUTION_RATE_ASC = 'EXECUTION_RATE_ASC',
  UPDATED_DESC = 'UPDATED_DESC',
}
registerEnumType(EvaluationSort, { name: 'EvaluationSort' });

@InputType()
export class EvaluationFilter {
  @Field(() => String, { nullable: true }) districtCode?: string;
  @Field(() => Int, { nullable: true }) year?: number;
  @Field(() => EvaluationStateEnum, { nullable: true }) state?: string;
  @Field(() => GradeEnum, { nullable: true }) grade?: string;
  @Field(() => String, { nullable: true }) departmentCode?: string;
}
