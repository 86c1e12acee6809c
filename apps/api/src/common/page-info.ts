import { Field, ObjectType } from '@nestjs/graphql';

/** Relay's page info, for every list (built by `connectionOf`). */
@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}
