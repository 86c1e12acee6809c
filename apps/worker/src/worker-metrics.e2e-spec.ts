import { ReminderWorld, startReceiver, until } from './testing/reminder-harness';
import { WorkerMetrics } from './worker-metrics';
import { metricSample } from '@app/jobs/testing/metric-sample';

const SECRET = 'webhook-secret-for-tests';

describe("the worker's metrics on METRICS_PORT (real Redis, real webhook receiver)", () => {
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

  it('count the jobs it finished by queue and outcome, each queue by state, and the runtime', async () => {
    await world.district('m1', ['a']);
    const worker = await world.startWorker(
      world.workerConfig({
        webhookUrl: receiver.url,
        webhookSecret: SECRET,
        metricsPort: 0,
        metricsHost: '127.0.0.1',
      }),
    );
    const port = worker.get(WorkerMetrics).port;
    expect(port).toBeGreaterThan(0);
    await world.openCycle('m1', new Date(Date.now() + 4500));
    // Two reminders and the overdue notice: three milestones, three deliveries.
    expect(await until(() => receiver.deliveries.length >= 3, 15_000)).toBe(true);

    const scrape = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(
      await until(
        async () =>
          (metricSample(
            await scrape(),
            'perf_eval_job_seconds_count{queue="deliveries",outcome="completed"}',
          ) ?? 0) >= 3,
        5000,
      ),
    ).toBe(true);
    const text = await scrape();
    expect(
      metricSample(text, 'perf_eval_job_seconds_count{queue="milestones",outcome="completed"}'),
    ).toBeGreaterThanOrEqual(3);
    expect(metricSample(text, 'perf_eval_job_seconds_count{queue="deliveries",outcome="failed"}') ?? 0).toBe(
      0,
    );
    expect(metricSample(text, 'perf_eval_queue_jobs{queue="deliveries",state="waiting"}')).toBe(0);
    expect(metricSample(text, 'perf_eval_queue_jobs{queue="reports",state="active"}')).toBe(0);
    expect(metricSample(text, 'perf_eval_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(metricSample(text, 'perf_eval_event_loop_busy_seconds_total')).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
  }, 30_000);
});
