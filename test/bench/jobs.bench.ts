import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import { removeQueueKeys } from '@app/jobs/testing/require-redis';
import { READ_MODELS_FILE, SqliteEventStore, openReadModelDatabase } from '@app/event-store';
import type { Actor } from '@app/domain';
import { generateDistrictReport, openCycle, type ReminderRecorded } from '@app/application';
import { DELIVERIES_QUEUE, redisConnection } from '@app/jobs';
import { enqueueMilestoneNotices } from '../../apps/worker/src/reminders/milestone.processor';
import { seedDistrict } from './seed-district';
import { departmentsOfDistrict } from '@app/read-models';

const DEPARTMENTS = 2000;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const admin: Actor = { id: 'bench-admin', role: 'ADMIN' };

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
    await seedDistrict(store, readModels, 'big', DEPARTMENTS);
    const { state } = await openCycle(
      store,
      {
        type: 'OpenCycle',
        data: { districtCode: 'big', year: 2021, deadline: '2030-01-01T00:00:00Z' },
        metadata: { actor: admin, now: new Date() },
      },
      { correlationId: 'bench', commandId: randomUUID() },
    );
    if (state.status !== 'OPEN') throw new Error('cycle not opened');

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
        cycleId: state.cycleId,
        districtCode: 'big',
        year: 2021,
        deadline: state.deadline,
        milestone: 'before:7d',
        kind: 'REMINDER',
        dueAt: state.deadline,
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
