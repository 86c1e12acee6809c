import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import { removeQueueKeys } from '@app/jobs/testing/require-redis';
import { READ_MODELS_FILE, SqliteEventStore, openReadModelDatabase } from '@app/event-store';
import { generateDistrictReport, type ReminderRecorded } from '@app/application';
import { DELIVERIES_QUEUE, redisConnection } from '@app/jobs';
import { enqueueMilestoneNotices } from '../../apps/worker/src/reminders/milestone.processor';
import { seedDistrict } from './seed-district';
import { departmentsOfDistrict } from '@app/read-models';

const DEPARTMENTS = 2000;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/13';

/** A district of 2,000 departments, each with a form; a third of them submitted. */
export async function jobsBenchmarks(): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-eval-bench-jobs-'));
  const store = new SqliteEventStore({ file: path.join(dir, 'events.sqlite') });
  const readModels = openReadModelDatabase(path.join(dir, READ_MODELS_FILE));
  const prefix = `bench-${randomUUID()}`;
  const queue = new Queue<ReminderRecorded>(DELIVERIES_QUEUE, {
    connection: redisConnection(REDIS_URL),
    prefix,
  });
  try {
    const { cycleId, deadline } = await seedDistrict(store, readModels, 'big', DEPARTMENTS);

    let started = performance.now();
    const { report } = await generateDistrictReport(
      store,
      departmentsOfDistrict(readModels, 'big'),
      'big',
      2021,
      new Date(),
      'bench',
    );
    const reportMs = performance.now() - started;
    if (report.departments !== DEPARTMENTS) throw new Error(`report saw ${report.departments} departments`);

    started = performance.now();
    const outcome = await enqueueMilestoneNotices(
      store,
      readModels,
      queue,
      {
        cycleId,
        districtCode: 'big',
        year: 2021,
        deadline,
        milestone: 'before:7d',
        kind: 'REMINDER',
        dueAt: deadline,
      },
      { deliveryAttempts: 16, retryBaseMs: 2000 },
    );
    const reminderScheduleMs = performance.now() - started;
    const notified = outcome === 'stale' ? 0 : outcome.notified;
    return {
      'jobs.reportMs': Math.round(reportMs),
      'jobs.reportDepartments': report.departments,
      'jobs.reminderScheduleMs': Math.round(reminderScheduleMs),
      'jobs.remindersScheduled': notified,
    };
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await removeQueueKeys(REDIS_URL, prefix);
    await store.close();
    readModels.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
