import type { ChildProcess } from 'node:child_process';
import { kill, startScript, waitForOutput } from '../../../../test/faults/child-process';
import { REDIS_URL, ReminderWorld, sleep, startReceiver, until } from '../testing/reminder-harness';

const SECRET = 'webhook-secret-for-tests';

describe('the worker killed with SIGKILL mid-cycle and started again', () => {
  let world: ReminderWorld;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    world = new ReminderWorld();
    await world.start();
    receiver = await startReceiver(SECRET);
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map(kill));
    await world.close();
    await receiver.close();
  });

  const startWorkerProcess = (env: Record<string, string> = {}) => {
    const child = startScript('apps/worker/src/main.ts', [], {
      DATA_DIR: world.data.dir,
      REDIS_URL,
      QUEUE_PREFIX: world.queuePrefix,
      NOTIFY_WEBHOOK_URL: receiver.url,
      NOTIFY_WEBHOOK_SECRET: SECRET,
      NOTIFY_RETRY_BASE_MS: '200',
      REMINDER_OFFSETS: '4s,3s,2s',
      OVERDUE_AFTER: '1s',
      ...env,
    });
    children.push(child);
    return child;
  };

  it('still delivers every notice, each once', async () => {
    await world.district('k', ['p', 'q']);
    let worker = startWorkerProcess();
    await waitForOutput(worker, (line) => line.includes('perf-eval worker started'), 60_000);
    await world.openCycle('k', new Date(Date.now() + 5000));

    expect(await until(() => receiver.deliveries.length >= 2, 15_000)).toBe(true);
    await kill(worker); // in the middle of the cycle
    const beforeRestart = receiver.deliveries.length;
    worker = startWorkerProcess();
    await waitForOutput(worker, (line) => line.includes('perf-eval worker started'), 60_000);

    expect(await until(() => new Set(receiver.deliveries.map((d) => d.deliveryId)).size >= 8, 25_000)).toBe(
      true,
    );
    await sleep(1500);
    const keys = new Map<string, Set<string>>();
    for (const d of receiver.deliveries) {
      const key = `${d.body.department.code} ${d.body.milestone}`;
      keys.set(key, (keys.get(key) ?? new Set()).add(d.deliveryId));
    }
    expect([...keys.keys()].sort()).toEqual([
      'p before:2s',
      'p before:3s',
      'p before:4s',
      'p overdue',
      'q before:2s',
      'q before:3s',
      'q before:4s',
      'q overdue',
    ]);
    // One identity per notice; a repeat could only carry the same delivery id (for receivers to drop).
    expect([...keys.values()].every((ids) => ids.size === 1)).toBe(true);
    expect(beforeRestart).toBeLessThan(8);
  }, 90_000);

  it('a job whose worker died in the middle of it is recovered by the next worker (stalled job), delivered once', async () => {
    await world.district('s', ['p']);
    // The webhook hangs: the delivery job stays active, holding its lock, when the worker is killed.
    receiver.hold = true;
    const timings = { WORKER_LOCK_MS: '1000', NOTIFY_WEBHOOK_TIMEOUT_MS: '60000', OVERDUE_AFTER: '1h' };
    let worker = startWorkerProcess({ ...timings, REMINDER_OFFSETS: '2s' });
    await waitForOutput(worker, (line) => line.includes('perf-eval worker started'), 60_000);
    await world.openCycle('s', new Date(Date.now() + 3000));
    expect(await until(() => receiver.held >= 1, 15_000)).toBe(true);
    await kill(worker);

    receiver.hold = false;
    worker = startWorkerProcess({ ...timings, REMINDER_OFFSETS: '2s' });
    await waitForOutput(worker, (line) => line.includes('perf-eval worker started'), 60_000);
    // Nothing re-adds the job: only BullMQ's stalled-job check (lock expired) puts it back in the queue.
    expect(await until(() => receiver.deliveries.length >= 1, 15_000)).toBe(true);
    await sleep(1500);
    expect(
      receiver.deliveries.map((d) => [d.body.department.code, d.body.milestone, d.signatureValid]),
    ).toEqual([['p', 'before:2s', true]]);
  }, 90_000);
});
