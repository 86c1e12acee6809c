import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { READ_ROLES, type Actor } from '@app/domain';
import { pageComplexity } from '../common/connection';
import { Allowed, Caller } from '../graphql/allowed';
import { NotificationQueries } from './notifications.queries';
import { NotificationConnection } from './notifications.types';

/** Departments read their own reminders and overdue notices (the worker records and delivers them). */
@Resolver()
export class NotificationsResolver {
  constructor(private readonly queries: NotificationQueries) {}

  @Query(() => NotificationConnection, {
    complexity: pageComplexity(),
    description: 'The calling department’s reminders and overdue notices, newest first',
  })
  @Allowed(READ_ROLES.notifications)
  notifications(
    @Caller() actor: Actor,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): NotificationConnection {
    return this.queries.ofDepartment(actor.department, first, after);
  }
}
