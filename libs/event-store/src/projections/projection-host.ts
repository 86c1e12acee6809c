import { isAtOrAfter, type Position } from '../position';

export interface ProjectionStatus {
  name: string;
  status: 'STARTING' | 'RUNNING' | 'STOPPED';
  generation: number;
  checkpoint: string | null;
  /** set when an event could not be applied: the projection stopped there, nothing was skipped */
  failedEventId: string | null;
  error: string | null;
}

/** Which read models a read-your-writes wait is for: by name, or those that read a stream, else all. */
export interface WaitForOptions {
  projections?: readonly string[];
  streamId?: string;
  timeoutMs: number;
}

/**
 * Where read models are kept up to date from the log, as the service sees it: on this thread
 * (ProjectionRunner: the worker, the CLI, tests of projections) or on a thread of their own
 * (ProjectionThread: the API, whose event loop then only serves requests).
 */
export interface ProjectionHost {
  /** installs or rebuilds what needs it, then follows the log; resolves once every projection runs */
  start(): Promise<void>;
  /**
   * Read-your-writes: resolves true once the projections concerned have applied the log up to the
   * position, false on timeout or when one of them stopped. A name not run here is a programming error.
   */
  waitFor(position: Position, options: WaitForOptions): Promise<boolean>;
  /** resolves true once every projection has caught up with the log and gone live, false on timeout */
  waitUntilLive(timeoutMs: number): Promise<boolean>;
  status(): ProjectionStatus[];
  stop(): Promise<void>;
}

/** The projections a wait is for (WaitForOptions), out of those run. */
export function concernedBy<P extends { name: string; streamPrefixes: readonly string[] }>(
  run: readonly P[],
  { projections, streamId }: WaitForOptions,
): P[] {
  for (const name of projections ?? []) {
    if (!run.some((p) => p.name === name)) throw new Error(`no projection named ${name} runs here`);
  }
  return run.filter(
    (p) =>
      (!projections || projections.includes(p.name)) &&
      (!streamId || p.streamPrefixes.some((prefix) => streamId.startsWith(prefix))),
  );
}

/** What a wait reads of one projection. */
export interface ProjectionProgress {
  checkpoint: Position | null;
  status: ProjectionStatus['status'];
  /** has delivered the whole log once since it (re)subscribed */
  live: boolean;
}

/**
 * Read-your-writes and liveness waits over the progress a host keeps, one entry per projection in the
 * order run, checked again each time the host says it changed (notify): the one place both hosts decide
 * when a wait is over. A wait gives up when a projection it waits on stopped, or the host is stopping.
 */
export class ProgressWaits {
  private readonly checks = new Set<() => void>();

  constructor(
    private readonly run: ReadonlyArray<{ name: string; streamPrefixes: readonly string[] }>,
    private readonly progress: () => ReadonlyArray<ProjectionProgress | undefined>,
    private readonly stopping: () => boolean,
  ) {}

  notify(): void {
    for (const check of this.checks) check();
  }

  async waitFor(position: Position, options: WaitForOptions): Promise<boolean> {
    const concerned = concernedBy(this.run, options).map((p) => this.run.indexOf(p));
    return this.until(
      concerned,
      (p) => p.checkpoint !== null && isAtOrAfter(p.checkpoint, position),
      options.timeoutMs,
    );
  }

  waitUntilLive(timeoutMs: number): Promise<boolean> {
    return this.until(
      this.run.map((_, i) => i),
      (p) => p.live,
      timeoutMs,
    );
  }

  private until(
    indexes: number[],
    reached: (progress: ProjectionProgress) => boolean,
    timeoutMs: number,
  ): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        const all = this.progress();
        if (indexes.every((i) => all[i] !== undefined && reached(all[i]))) finish(true);
        else if (this.stopping() || indexes.some((i) => all[i]?.status === 'STOPPED')) finish(false);
      };
      const finish = (result: boolean) => {
        clearTimeout(timer);
        this.checks.delete(check);
        resolve(result);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.checks.add(check);
      check();
    });
  }
}
