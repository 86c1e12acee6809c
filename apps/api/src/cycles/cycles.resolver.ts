import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import {
  Args,
  Context,
  Field,
  GraphQLISODateTime,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
} from '@nestjs/graphql';
import { ProjectionRunner, prepared, type EventStore, type SqliteDatabase } from '@app/event-store';
import { CycleNotFound, READ_ROLES, type Actor } from '@app/evaluation';
import { cycleStreamId, moveCycleDeadline, openCycle } from '@app/evaluations';
import { connectionOf, decodeCursor, pageSize } from '../common/connection';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { EVENT_STORE, READ_MODELS } from '../event-store/event-store.module';
import { PageInfo } from '../evaluations/evaluation.types';
import { Allowed, Caller } from '../graphql/allowed';
import { requireActor, type RequestContext } from '../graphql/request-context';

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

@ObjectType()
export class Notification {
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
  @Field(() => Notification) node!: Notification;
}

@ObjectType()
export class NotificationConnection {
  @Field(() => [NotificationEdge]) edges!: NotificationEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

interface NotificationRow {
  event_id: string;
  kind: string;
  milestone: string;
  cycle_id: string;
  deadline: string;
  recorded_at: string;
  delivered_at: string | null;
  seq: number;
}

/** Administrators open cycles and move deadlines; departments read their reminders. */
@Resolver()
export class CyclesResolver {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly db: SqliteDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runner: ProjectionRunner,
  ) {}

  private async answer(
    result: Awaited<ReturnType<typeof openCycle>>,
    asked: { districtCode: string; year: number },
  ): Promise<CycleView> {
    // The deciders refuse a command on a cycle that is not open; this narrows the type.
    if (result.state.status !== 'OPEN') throw new CycleNotFound(asked.districtCode, asked.year);
    const { cycleId, districtCode, year, deadline } = result.state;
    if (result.position)
      await this.runner.waitFor(result.position, {
        streamId: cycleStreamId(cycleId),
        timeoutMs: this.config.readYourWritesTimeoutMs,
      });
    return { id: cycleId, districtCode, year, deadline: new Date(deadline) };
  }

  @Mutation(() => CycleView, {
    description: 'Every registered department of the district is expected to submit by the deadline',
  })
  async openCycle(
    @Context() context: RequestContext,
    @Args('input') input: OpenCycleInput,
  ): Promise<CycleView> {
    const actor = requireActor(context);
    const result = await openCycle(
      this.store,
      { type: 'OpenCycle', data: { ...input }, metadata: { actor, now: new Date() } },
      { correlationId: context.correlationId, commandId: randomUUID() },
    );
    return this.answer(result, { districtCode: input.districtCode, year: input.year });
  }

  @Mutation(() => CycleView, { description: 'Reminders still to come are rescheduled for the new deadline' })
  async moveCycleDeadline(
    @Context() context: RequestContext,
    @Args('districtCode') districtCode: string,
    @Args('year', { type: () => Int }) year: number,
    @Args('deadline') deadline: string,
  ): Promise<CycleView> {
    const actor = requireActor(context);
    const result = await moveCycleDeadline(
      this.store,
      {
        type: 'MoveCycleDeadline',
        data: { districtCode, year, deadline },
        metadata: { actor, now: new Date() },
      },
      { correlationId: context.correlationId, commandId: randomUUID() },
    );
    return this.answer(result, { districtCode, year });
  }

  @Query(() => NotificationConnection, {
    description: 'The calling department’s reminders and overdue notices, newest first',
  })
  @Allowed(READ_ROLES.notifications)
  notifications(
    @Caller() actor: Actor,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): NotificationConnection {
    const [before] = after
      ? decodeCursor(after, (parts): parts is [number] => Number.isSafeInteger(parts[0]))
      : [Number.MAX_SAFE_INTEGER];
    const limit = pageSize(first, 20);
    const rows = prepared(
      this.db,
      'SELECT * FROM notifications WHERE department_code = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
    ).all(actor.department, before, limit + 1) as NotificationRow[];
    return connectionOf(
      rows,
      limit,
      (row) => [row.seq],
      (row) => ({
        id: row.event_id,
        kind: row.kind,
        milestone: row.milestone,
        cycleId: row.cycle_id,
        deadline: new Date(row.deadline),
        recordedAt: new Date(row.recorded_at),
        deliveredAt: row.delivered_at ? new Date(row.delivered_at) : null,
      }),
    );
  }
}
