import { Module } from '@nestjs/common';
import { NotificationQueries } from './notifications.queries';
import { NotificationsResolver } from './notifications.resolver';

/** A department's reminders and overdue notices, as the worker recorded and delivered them. */
@Module({ providers: [NotificationQueries, NotificationsResolver] })
export class NotificationsModule {}
