import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import * as path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ProjectionRunner,
  READ_MODELS_FILE,
  SqliteEventStore,
  openReadModelDatabase,
  type SqliteDatabase,
} from '@app/event-store';
import { tempDataDir } from '@app/event-store/testing/temp-dir';
import { readEvaluationDocument, type Actor } from '@app/domain';
import {
  handleEvaluationCommand,
  openCycle,
  moveCycleDeadline,
  registerDepartment,
  registerDistrict,
} from '@app/application';
import {
  AuditHistoryProjection,
  EvaluationSummariesProjection,
  DistrictReportsProjection,
  NotificationsProjection,
  RegistryProjection,
} from '@app/read-models';
import { removeQueueKeys, requireRedis } from '@app/jobs/testing/require-redis';
import { WorkerModule } from '../worker.module';
import type { WorkerConfig } from '../worker-config';
import { DELIVERY_HEADER, SIGNATURE_HEADER } from '../reminders/webhook';
import { eventually } from '../../../../test/support/eventually';
import { exampleDocument } from '@app/domain/testing/fixtures';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/14';
const admin: Actor = { id: 'admin', role: 'ADMIN' };
const context = () => ({ correlationId: 'test', commandId: randomUUID() });

export interface Delivery {
  deliveryId: string;
  body: {
    type: string;
    milestone: string;
    department: { code: string; name: string };
    cycle: { id: string; deadline: string };
  };
  signatureValid: boolean;
  at: number;
}

/**
 * A receiver's check of `x-perf-eval-signature: t=<unix seconds>,v1=<hex>`, written as the README tells
 * receivers to (independently of the worker's signing code, so a test cannot agree with a bug): the
 * timestamp within `toleranceSeconds` of now, and v1 the HMAC-SHA256 of "<t>." followed by the raw body
 * bytes, compared in constant time.
 */
export function verifyWebhookSignature(
  rawBody: Buffer | string,
  header: string | string[] | undefined,
  secret: string,
  { toleranceSeconds = 300, nowSeconds = Date.now() / 1000 } = {},
): boolean {
  const fields = new Map(
    String(header ?? '')
      .split(',')
      .map((part) => {
        const at = part.indexOf('=');
        return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
      }),
  );
  const t = fields.get('t') ?? '';
  const v1 = fields.get('v1') ?? '';
  if (!/^\d{1,12}$/.test(t) || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(nowSeconds - Number(t)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

/** A local webhook receiver; `failUntil` makes it answer 503 until that time (an outage). */
export async function startReceiver(secret: string): Promise<{
  url: string;
  deliveries: Delivery[];
  failures: number;
  failUntil: number;
  /** while true, requests are held open unanswered and not counted (a webhook that hangs) */
  hold: boolean;
  held: number;
  /** each answer takes this long (a slow webhook); `arrived` counts requests as they come in */
  delayMs: number;
  arrived: number;
  close(): Promise<void>;
}> {
  const state = {
    deliveries: [] as Delivery[],
    failures: 0,
    failUntil: 0,
    hold: false,
    held: 0,
    delayMs: 0,
    arrived: 0,
  };
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = raw.toString('utf8');
      if (state.hold) {
        state.held += 1;
        open.add(res);
        return;
      }
      if (Date.now() < state.failUntil) {
        state.failures += 1;
        res.writeHead(503).end();
        return;
      }
      state.arrived += 1;
      const accept = () => {
        state.deliveries.push({
          deliveryId: String(req.headers[DELIVERY_HEADER]),
          body: JSON.parse(body),
          signatureValid: verifyWebhookSignature(raw, req.headers[SIGNATURE_HEADER], secret),
          at: Date.now(),
        });
        res.writeHead(204).end();
      };
      if (state.delayMs > 0) setTimeout(accept, state.delayMs);
      else accept();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/hook`,
    close: () => {
      for (const res of open) res.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/**
 * What the API would do (register, import, submit, open cycles) plus the read models it keeps, on a temp
 * DATA_DIR; the worker under test runs beside it on the same files.
 */
export class ReminderWorld {
  readonly data = tempDataDir('perf-eval-worker-');
  readonly store = new SqliteEventStore({
    file: path.join(this.data.dir, 'events.sqlite'),
    pollIntervalMs: 20,
  });
  readonly readModels: SqliteDatabase = openReadModelDatabase(path.join(this.data.dir, READ_MODELS_FILE));
  readonly runner = new ProjectionRunner(this.store, this.readModels, [
    new EvaluationSummariesProjection(),
    new AuditHistoryProjection(),
    new RegistryProjection(),
    new NotificationsProjection(),
    new DistrictReportsProjection(),
  ]);
  readonly queuePrefix = `test-${randomUUID()}`;
  private readonly workers: INestApplicationContext[] = [];

  async start(): Promise<void> {
    await requireRedis(REDIS_URL);
    await this.runner.start();
  }

  workerConfig(overrides: Partial<WorkerConfig> = {}): WorkerConfig {
    return {
      dataDir: this.data.dir,
      eventStoreUrl: undefined,
      redisUrl: REDIS_URL,
      queuePrefix: this.queuePrefix,
      webhookUrl: undefined,
      webhookSecret: undefined,
      webhookTimeoutMs: 2000,
      retryBaseMs: 200,
      deliveryAttempts: 30,
      reminders: { offsets: '3s,2s', overdueAfter: '1s' },
      concurrency: 2,
      reportSchedule: '0 2 * * *',
      reportTimeZone: 'Asia/Shanghai',
      logLevel: 'silent',
      ...overrides,
    };
  }

  /** Starts one more worker (several may run at once, as replicas would). */
  async startWorker(config: WorkerConfig): Promise<INestApplicationContext> {
    const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
      logger: false,
    });
    await worker.init();
    this.workers.push(worker);
    return worker;
  }

  /** Closes every worker, as a SIGTERM does: running jobs finish first. */
  async stopWorker(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((worker) => worker.close()));
  }

  async district(code: string, departments: string[]): Promise<void> {
    const now = new Date();
    await registerDistrict(
      this.store,
      { type: 'RegisterDistrict', data: { code, name: `${code}区` }, metadata: { actor: admin, now } },
      context(),
    );
    for (const department of departments) {
      const { position } = await registerDepartment(
        this.store,
        {
          type: 'RegisterDepartment',
          data: { code: department, name: `部门${department}`, districtCode: code },
          metadata: { actor: admin, now },
        },
        context(),
      );
      await this.runner.waitFor(position, { streamId: `department-${department}`, timeoutMs: 5000 });
    }
  }

  /** The department imports the example form and submits it. */
  async submitExample(districtCode: string, departmentCode: string): Promise<void> {
    const document = exampleDocument();
    document.district = { code: districtCode, name: `${districtCode}区` };
    document.department = { code: departmentCode, name: `部门${departmentCode}` };
    const clerk: Actor = { id: `clerk-${departmentCode}`, role: 'DEPARTMENT', department: departmentCode };
    const evaluationId = `${departmentCode}.2021`;
    await handleEvaluationCommand(
      this.store,
      evaluationId,
      {
        type: 'ImportEvaluation',
        data: {
          evaluationId,
          content: readEvaluationDocument(document),
          department: document.department,
          district: document.district,
        },
        metadata: { actor: clerk, now: new Date() },
      },
      context(),
    );
    await handleEvaluationCommand(
      this.store,
      evaluationId,
      { type: 'SubmitEvaluation', data: {}, metadata: { actor: clerk, now: new Date(), expectedVersion: 1 } },
      context(),
    );
  }

  openCycle(districtCode: string, deadline: Date) {
    return openCycle(
      this.store,
      {
        type: 'OpenCycle',
        data: { districtCode, year: 2021, deadline: deadline.toISOString() },
        metadata: { actor: admin, now: new Date() },
      },
      context(),
    );
  }

  moveDeadline(districtCode: string, deadline: Date) {
    return moveCycleDeadline(
      this.store,
      {
        type: 'MoveCycleDeadline',
        data: { districtCode, year: 2021, deadline: deadline.toISOString() },
        metadata: { actor: admin, now: new Date() },
      },
      context(),
    );
  }

  async close(): Promise<void> {
    await this.stopWorker();
    await this.runner.stop();
    await this.store.close();
    this.readModels.close();
    await removeQueueKeys(REDIS_URL, this.queuePrefix);
    this.data.remove();
  }
}

/** Waits until the condition holds; false when it did not within `timeoutMs`. */
export const until = (condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> =>
  eventually(condition, Boolean, timeoutMs);

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
