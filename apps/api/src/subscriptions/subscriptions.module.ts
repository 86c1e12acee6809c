import { Module } from '@nestjs/common';
import { EvaluationsModule } from '../evaluations/evaluations.module';
import { EvaluationChangeFeed } from './change-feed';
import { ChangesResolver } from './changes.resolver';
import { SubscriptionServer } from './subscription-server';

/** Live updates: the event log's changes (change-feed.ts) as GraphQL subscriptions over graphql-ws. */
@Module({
  imports: [EvaluationsModule],
  providers: [EvaluationChangeFeed, ChangesResolver, SubscriptionServer],
})
export class SubscriptionsModule {}
