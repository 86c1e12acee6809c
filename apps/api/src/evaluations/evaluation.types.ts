import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DecimalScalar } from '../graphql/scalars';
import { EVALUATION_STATUSES, GRADES, POLARITIES, QUALITATIVE_LEVELS } from '@app/domain';
import { CodeNameView } from '../registry/registry.types';
import { PageInfo } from '../common/page-info';

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>;

export const EvaluationStateEnum = enumOf(EVALUATION_STATUSES);
export const GradeEnum = enumOf(GRADES);
export const PolarityEnum = enumOf(POLARITIES);
export const QualitativeLevelEnum = enumOf(QUALITATIVE_LEVELS);
registerEnumType(EvaluationStateEnum, { name: 'EvaluationState' });
registerEnumType(GradeEnum, {
  name: 'Grade',
  description: '优 EXCELLENT ≥ 90, 良 GOOD ≥ 80, 中 FAIR ≥ 60, 差 POOR',
});
registerEnumType(PolarityEnum, { name: 'Polarity' });
registerEnumType(QualitativeLevelEnum, { name: 'QualitativeLevel' });

@ObjectType('FundingLine')
export class FundingLineView {
  @Field(() => ID, { description: 'stable line id (f1, f2 …): kept while other lines change, never reused' })
  id!: string;
  @Field() source!: string;
  @Field(() => DecimalScalar, { description: 'A 全年预算数 (Decimal)' }) budget!: string;
  @Field(() => DecimalScalar, { description: 'B 全年执行数 (Decimal)' }) executed!: string;
  @Field(() => DecimalScalar, { description: 'C 上级财政转移支付 (Decimal)' }) upperTransfer!: string;
  @Field(() => DecimalScalar, { nullable: true, description: '年初预算数 (Decimal)' }) initialBudget!:
    string | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'this line\'s (B − C) / A as a percentage, e.g. "83.47"; null without a budget',
  })
  executionRatePercent!: string | null;
}

@ObjectType('Funding')
export class FundingView {
  @Field({ description: '元 | 千元 | 万元 | 亿元' }) unit!: string;
  @Field(() => DecimalScalar, { description: '分值 (Decimal)' }) weight!: string;
  @Field(() => [FundingLineView]) lines!: FundingLineView[];
}

@ObjectType('Goals')
export class GoalsView {
  @Field() planned!: string;
  @Field() achieved!: string;
}

@ObjectType('Suggestion', {
  description: 'The suggested score the system derives from target and actual, and how',
})
export class SuggestionView {
  @Field(() => DecimalScalar, { nullable: true }) score!: string | null;
  @Field({ description: 'e.g. RANGE_MET, AT_LEAST_BELOW, UNIT_MISMATCH, QUALITATIVE' }) path!: string;
  @Field({ description: 'the arithmetic, e.g. "5 × 6 / 7 = 4.29"' }) derivation!: string;
  @Field({ description: 'RANGE | AT_LEAST | AT_MOST | EQUAL | NUMBER | DEADLINE | TEXT' })
  targetForm!: string;
  @Field(() => DecimalScalar, { nullable: true }) bandMin!: string | null;
  @Field(() => DecimalScalar, { nullable: true }) bandMax!: string | null;
}

@ObjectType('Indicator')
export class IndicatorView {
  @Field(() => ID, { description: 'stable row id: survives moves' }) id!: string;
  @Field() level1!: string;
  @Field() level2!: string;
  @Field() level3!: string;
  @Field() content!: string;
  @Field() target!: string;
  @Field() actual!: string;
  @Field(() => DecimalScalar) weight!: string;
  @Field(() => DecimalScalar, { nullable: true }) score!: string | null;
  @Field() shortfallReason!: string;
  @Field() improvement!: string;
  @Field(() => PolarityEnum, { nullable: true }) polarity!: string | null;
  @Field(() => QualitativeLevelEnum, { nullable: true }) qualitativeLevel!: string | null;
  @Field(() => SuggestionView) suggestion!: SuggestionView;
}

@ObjectType('Score')
export class ScoreView {
  @Field(() => DecimalScalar, { nullable: true, description: '(B − C) / A as a percentage, e.g. "83.47"' })
  executionRatePercent!: string | null;
  @Field(() => DecimalScalar, { nullable: true }) fundingScore!: string | null;
  @Field(() => DecimalScalar) indicatorTotal!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'self-assessed total' }) total!: string | null;
  @Field(() => GradeEnum, { nullable: true, description: 'grade of the final total' }) grade!: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: '复核得分 set on approval' }) adjustedTotal!:
    string | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'the reviewed total if set, else the self-assessed one',
  })
  finalTotal!: string | null;
}

@ObjectType('ValidationIssue')
export class ValidationIssueView {
  @Field() code!: string;
  @Field() message!: string;
  @Field() path!: string;
  @Field(() => String, { nullable: true }) rowId!: string | null;
}

@ObjectType('Validation')
export class ValidationView {
  @Field(() => [ValidationIssueView]) errors!: ValidationIssueView[];
  @Field(() => [ValidationIssueView]) warnings!: ValidationIssueView[];
}

@ObjectType('Declared', { description: 'figures printed on an imported paper form' })
export class DeclaredView {
  @Field(() => String, { nullable: true }) executionRate!: string | null;
  @Field(() => DecimalScalar, { nullable: true }) fundingScore!: string | null;
  @Field(() => String, { nullable: true }) totalScore!: string | null;
}

@ObjectType('ActorRef')
export class ActorRefView {
  @Field() id!: string;
  @Field() role!: string;
}

@ObjectType('Review')
export class ReviewView {
  @Field(() => String, { nullable: true, description: 'the last return or reopen comment' }) returnComment!:
    string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) returnedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) approvedAt!: Date | null;
  @Field(() => ActorRefView, { nullable: true }) approvedBy!: ActorRefView | null;
  @Field(() => String, { nullable: true }) approvalComment!: string | null;
  @Field(() => String, { nullable: true }) adjustmentReason!: string | null;
}

@ObjectType('Evaluation')
export class EvaluationView {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: 'send it back as expectedVersion with the next command' })
  version!: number;
  @Field(() => EvaluationStateEnum) state!: string;
  @Field(() => Int) year!: number;
  @Field(() => CodeNameView) department!: CodeNameView;
  @Field(() => CodeNameView) district!: CodeNameView;
  @Field(() => Int) independentAccountingUnits!: number;
  @Field(() => FundingView) funding!: FundingView;
  @Field() functions!: string;
  @Field(() => GoalsView) goals!: GoalsView;
  @Field(() => [IndicatorView]) indicators!: IndicatorView[];
  @Field(() => ScoreView) score!: ScoreView;
  @Field(() => ValidationView) validation!: ValidationView;
  @Field(() => DeclaredView, { nullable: true }) declared!: DeclaredView | null;
  @Field(() => ReviewView) review!: ReviewView;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) submittedAt!: Date | null;
}

@ObjectType()
export class EvaluationEdge {
  @Field() cursor!: string;
  @Field(() => EvaluationView) node!: EvaluationView;
}

@ObjectType()
export class EvaluationConnection {
  @Field(() => [EvaluationEdge]) edges!: EvaluationEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}
