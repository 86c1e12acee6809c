import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import {
  revisionToVersion,
  type EventStore,
  type Position,
  type StoredEvent,
  type Subscription,
} from '@app/event-store';
import {
  EVALUATION_STREAM_PREFIX,
  EvaluationStateCache,
  evaluationIdOfStream,
  readEvaluation,
} from '@app/application';
import type { CodeName } from '@app/domain';
import { EVENT_STORE } from '../event-store/event-store.module';

/** One event on a form, as subscribers get it: enough to tell what changed and to refetch. */
export interface EvaluationChange {
  evaluationId: string;
  /** the form's version after this event (what `evaluation(id)` answers from then on) */
  version: number;
  eventType: string;
  actor: { id: string; role: string };
  occurredAt: Date;
  /** the form's state after this event */
  state: string;
  year: number;
  department: CodeName;
  district: CodeName;
}

export type ChangeListener = (change: EvaluationChange) => void;

const RESTART_DELAY_MS = 1000;

/**
 * Every form's changes as they reach the event log, fanned out to this process's subscribers. One log
 * subscription per process (not one per subscriber), started at the log's head when the first listener
 * comes, so an event appended by any process sharing the store (another API replica, the worker, a CLI)
 * reaches subscribers here: nothing is taken from this process's command handling. Stopped on shutdown.
 */
@Injectable()
export class EvaluationChangeFeed implements BeforeApplicationShutdown {
  private readonly logger = new Logger('EvaluationChangeFeed');
  private readonly listeners = new Set<ChangeListener>();
  private subscription: Subscription | null = null;
  private starting: Promise<void> | null = null;
  private lastSeen: Position | null = null;
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cache: EvaluationStateCache,
  ) {}

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Whether the shared log subscription runs (tests check it stops). */
  get running(): boolean {
    return this.subscription !== null;
  }

  /**
   * Adds a listener; resolves, once the log is followed, with the function that removes it. Changes
   * appended after this resolves are delivered; some from just before may be too.
   */
  async listen(listener: ChangeListener): Promise<() => void> {
    this.listeners.add(listener);
    try {
      await this.start();
    } catch (error) {
      this.listeners.delete(listener);
      throw error;
    }
    return () => this.listeners.delete(listener);
  }

  private start(): Promise<void> {
    if (this.subscription) return Promise.resolve();
    this.starting ??= (async () => {
      try {
        const after = this.lastSeen ?? (await this.store.headPosition());
        this.follow(after);
      } finally {
        this.starting = null;
      }
    })();
    return this.starting;
  }

  private follow(after: Position | null): void {
    if (this.stopped) return;
    this.lastSeen = after;
    const subscription = this.store.subscribeToAll(
      { after, streamPrefixes: [EVALUATION_STREAM_PREFIX] },
      (event) => this.deliver(event),
    );
    this.subscription = subscription;
    // A store failure must not end live updates for good: follow again from the last event delivered.
    subscription.done.catch((error: unknown) => {
      if (this.subscription !== subscription) return;
      this.subscription = null;
      this.logger.error({ err: error }, 'the change feed stopped; following the log again');
      setTimeout(() => {
        if (!this.stopped && !this.subscription && this.listeners.size > 0) this.follow(this.lastSeen);
      }, RESTART_DELAY_MS).unref();
    });
  }

  private async deliver(event: StoredEvent): Promise<void> {
    this.lastSeen = event.position;
    if (this.listeners.size === 0) return;
    try {
      const change = await this.changeOf(event);
      if (!change) return;
      for (const listener of this.listeners) listener(change);
    } catch (error) {
      // One form that cannot be read must not stop everyone's updates.
      this.logger.error({ err: error, eventId: event.eventId }, 'a change could not be delivered');
    }
  }

  /** The change with the form's state after it: the current state (cached) when no later event came. */
  private async changeOf(event: StoredEvent): Promise<EvaluationChange | null> {
    const evaluationId = evaluationIdOfStream(event.streamId);
    const version = revisionToVersion(event.revision);
    let state = await readEvaluation(this.store, evaluationId, {}, this.cache);
    if (state.version !== version) state = await readEvaluation(this.store, evaluationId, { version });
    if (state.status === 'NONE') return null;
    const { actor, occurredAt } = event.metadata;
    return {
      evaluationId,
      version,
      eventType: event.type,
      actor: { id: actor.id, role: actor.role },
      occurredAt: new Date(occurredAt),
      state: state.status,
      year: state.form.year,
      department: state.form.department,
      district: state.form.district,
    };
  }

  /** Before the stores close (their shutdown hook runs after this one). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.listeners.clear();
    await this.starting?.catch(() => undefined);
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.stop();
  }
}
