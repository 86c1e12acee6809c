import { removeQueueKeys } from '@app/jobs/testing/require-redis';
import { REDIS_URL, ReminderWorld, sleep, startReceiver, until } from '../testing/reminder-harness';

const SECRET = 'webhook-secret-for-tests';

function byKey(deliveries: Array<{ body: { department: { code: string }; milestone: string } }>) {
  const counts = new Map<string, number>();
  for (const d of deliveries) {
    const key = `${d.body.department.code} ${d.body.milestone}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Object.fromEntries([...counts.entries()].sort());
}

describe('deadline reminders (real Redis, real webhook receiver)', () => {
  let world: ReminderWorld;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeEach(async () => {
    world = new ReminderWorld();
    await world.start();
    receiver = await startReceiver(SECRET);
  });
  afterEach(async () => {
    await world.close();
    await receiver.close();
  });

  it('each department that has not submitted gets each reminder and the overdue notice once, signed', async () => {
    await world.district('d1', ['a', 'b', 'c']);
    await world.submitExample('d1', 'a');
    await world.startWorker(world.workerConfig({ webhookUrl: receiver.url, webhookSecret: SECRET }));
    await world.openCycle('d1', new Date(Date.now() + 4000));

    expect(await until(() => receiver.deliveries.length >= 6, 15_000)).toBe(true);
    await sleep(1500); // nothing more arrives
    expect(byKey(receiver.deliveries)).toEqual({
      'b before:2s': 1,
      'b before:3s': 1,
      'b overdue': 1,
      'c before:2s': 1,
      'c before:3s': 1,
      'c overdue': 1,
    });
    expect(receiver.deliveries.every((d) => d.signatureValid)).toBe(true);
    expect(new Set(receiver.deliveries.map((d) => d.deliveryId)).size).toBe(6);
    const overdue = receiver.deliveries.find((d) => d.body.milestone === 'overdue')!;
    expect(overdue.body).toMatchObject({
      type: 'OVERDUE',
      department: { code: expect.any(String), name: expect.stringContaining('部门') },
      cycle: { id: 'd1.2021' },
    });
  }, 30_000);

  it('a webhook that is down for a while gets every notice late, once', async () => {
    await world.district('d2', ['x']);
    receiver.failUntil = Date.now() + 5000;
    await world.startWorker(world.workerConfig({ webhookUrl: receiver.url, webhookSecret: SECRET }));
    await world.openCycle('d2', new Date(Date.now() + 3500));

    expect(await until(() => receiver.deliveries.length >= 3, 20_000)).toBe(true);
    await sleep(1500);
    expect(receiver.failures).toBeGreaterThan(0);
    expect(byKey(receiver.deliveries)).toEqual({ 'x before:2s': 1, 'x before:3s': 1, 'x overdue': 1 });
    expect(Math.min(...receiver.deliveries.map((d) => d.at))).toBeGreaterThanOrEqual(receiver.failUntil);
  }, 30_000);

  it('a moved deadline reschedules what is still to come', async () => {
    await world.district('d3', ['m']);
    await world.startWorker(
      world.workerConfig({
        webhookUrl: receiver.url,
        webhookSecret: SECRET,
        reminders: { offsets: '2s', overdueAfter: '1s' },
      }),
    );
    const first = Date.now() + 60_000;
    await world.openCycle('d3', new Date(first));
    await sleep(300);
    const moved = Date.now() + 3000;
    await world.moveDeadline('d3', new Date(moved));

    expect(await until(() => receiver.deliveries.length >= 2, 10_000)).toBe(true);
    await sleep(1000);
    expect(byKey(receiver.deliveries)).toEqual({ 'm before:2s': 1, 'm overdue': 1 });
    expect(receiver.deliveries.every((d) => d.body.cycle.deadline === new Date(moved).toISOString())).toBe(
      true,
    );
  }, 20_000);

  it('two workers running at once (each scheduling the same milestones) still send each notice once', async () => {
    await world.district('d4', ['u', 'v', 'w']);
    const config = world.workerConfig({ webhookUrl: receiver.url, webhookSecret: SECRET });
    await world.startWorker(config);
    await world.startWorker(config);
    await world.openCycle('d4', new Date(Date.now() + 3500));

    expect(await until(() => receiver.deliveries.length >= 9, 15_000)).toBe(true);
    await sleep(1500);
    expect(byKey(receiver.deliveries)).toEqual({
      'u before:2s': 1,
      'u before:3s': 1,
      'u overdue': 1,
      'v before:2s': 1,
      'v before:3s': 1,
      'v overdue': 1,
      'w before:2s': 1,
      'w before:3s': 1,
      'w overdue': 1,
    });
  }, 30_000);

  it('stopping the worker (as on SIGTERM) lets a delivery in flight finish and record itself', async () => {
    await world.district('d5', ['s']);
    receiver.delayMs = 1500;
    await world.startWorker(
      world.workerConfig({
        webhookUrl: receiver.url,
        webhookSecret: SECRET,
        webhookTimeoutMs: 10_000,
        reminders: { offsets: '2s', overdueAfter: '1h' },
      }),
    );
    await world.openCycle('d5', new Date(Date.now() + 2500));
    expect(await until(() => receiver.arrived >= 1, 10_000)).toBe(true);
    await world.stopWorker(); // while the webhook is still answering
    expect(byKey(receiver.deliveries)).toEqual({ 's before:2s': 1 });
    // The delivery was recorded before the worker let go: a later worker will not send it again.
    const deliveries = await world.store.readStream('notifications-s', { maxCount: 10 });
    expect(deliveries.map((e) => e.type)).toEqual(['ReminderRecorded', 'ReminderDelivered']);
  }, 30_000);

  it('jobs lost with Redis are made again from the log when the worker starts', async () => {
    await world.district('d6', ['r']);
    const config = world.workerConfig({
      webhookUrl: receiver.url,
      webhookSecret: SECRET,
      reminders: { offsets: '2s', overdueAfter: '1h' },
    });
    await world.startWorker(config);
    await world.openCycle('d6', new Date(Date.now() + 5000));
    await sleep(500); // the milestone job is in Redis now
    await world.stopWorker();
    await removeQueueKeys(REDIS_URL, world.queuePrefix); // Redis restarted empty (it keeps nothing on disk)
    await world.startWorker(config);

    expect(await until(() => receiver.deliveries.length >= 1, 10_000)).toBe(true);
    await sleep(1000);
    expect(byKey(receiver.deliveries)).toEqual({ 'r before:2s': 1 });
  }, 30_000);

  it('the report scheduler builds a report for every open cycle on its schedule (here: every second)', async () => {
    await world.district('d7', ['n1', 'n2']);
    await world.submitExample('d7', 'n1');
    await world.openCycle('d7', new Date(Date.now() + 3_600_000));
    await world.startWorker(world.workerConfig({ reportSchedule: '* * * * * *' }));

    const reports = () => world.store.readStream('report-d7.2021', { maxCount: 10 });
    expect(await until(async () => (await reports()).length >= 1, 10_000)).toBe(true);
    const [first] = await reports();
    expect(first.type).toBe('DistrictReportGenerated');
    expect(
      (first.data as { report: { departments: number; byState: { SUBMITTED: number } } }).report,
    ).toMatchObject({
      departments: 2,
      byState: { SUBMITTED: 1 },
    });
  }, 30_000);
});
