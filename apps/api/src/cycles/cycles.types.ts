import { Field, GraphQLISODateTime, InputType, Int, ObjectType } from '@nestjs/graphql';

@InputType()
export class OpenCycleInput {
  @Field() districtCode!: string;
  @Field(() => Int) year!: number;
  @Field({ description: 'ISO-8601 instant with a time zone, e.g. 2022-03-31T23:59:59+08:00' })
  deadline!: string;
}

@ObjectType()
export class CycleView {
  @Field() id!: string;
  @Field() districtCode!: string;
  @Field(() => Int) year!: number;
  @Field(() => GraphQLISODateTime) deadline!: Date;
}
