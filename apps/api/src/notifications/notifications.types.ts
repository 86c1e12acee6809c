import { Field, GraphQLISODateTime, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '../common/page-info';

@ObjectType('Notification')
export class NotificationView {
  @Field() id!: string;
  @Field({ description: 'REMINDER or OVERDUE' }) kind!: string;
  @Field({ description: 'e.g. before:7d, overdue' }) milestone!: string;
  @Field() cycleId!: string;
  @Field(() => GraphQLISODateTime) deadline!: Date;
  @Field(() => GraphQLISODateTime) recordedAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'when the webhook took it' })
  deliveredAt!: Date | null;
}

@ObjectType()
export class NotificationEdge {
  @Field() cursor!: string;
  @Field(() => NotificationView) node!: NotificationView;
}

@ObjectType()
export class NotificationConnection {
  @Field(() => [NotificationEdge]) edges!: NotificationEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
