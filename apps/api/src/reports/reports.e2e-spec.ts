import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { removeQueueKeys, requireRedis } from '@app/jobs/testing/require-redis';
import { WorkerModule } from '../../../worker/src/worker.module';
import { download, workbookOf } from '../testing/downloads';
import { startTestApp, type TestApp } from '../testing/test-app';
import { actors, seedExample, codeOf } from '../testing/graphql-fixtures';
import { eventually } from '../../../../test/support/eventually';

/** a report job runs in the worker beside the API: allow it time on a loaded machine */
const REPORT_WAIT_MS = 15_000;

describe('district reports on demand (API + worker, real Redis)', () => {
  let api: TestApp;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    api = await startTestApp();
    await requireRedis(api.config.redisUrl);
    await seedExample(api);
    await api.gql(
      'mutation { submitEvaluation(id: "wangcheng-shzlfwzx.2021", expectedVersion: 1) { version } }',
      {},
      actors.clerk,
    );
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot({
        dataDir: api.config.dataDir,
        eventStoreUrl: undefined,
        redisUrl: api.config.redisUrl,
        queuePrefix: api.config.queuePrefix,
        webhookUrl: undefined,
        webhookSecret: undefined,
        webhookTimeoutMs: 1000,
        retryBaseMs: 200,
        deliveryAttempts: 3,
        reminders: { offsets: '7d,3d,1d', overdueAfter: '1d' },
        concurrency: 2,
        reportSchedule: '0 2 * * *',
        reportTimeZone: 'Asia/Shanghai',
        logLevel: 'silent',
      }),
      { logger: false },
    );
    await worker.init();
  });

  afterAll(async () => {
    await worker.close();
    await api.close();
    await removeQueueKeys(api.config.redisUrl, api.config.queuePrefix);
  });

  it('requestDistrictReport queues a job; the report appears, is kept, and earlier ones stay listed', async () => {
    const requested = await api.gql(
      'mutation { requestDistrictReport(districtCode: "wangcheng", year: 2021) { id state } }',
      {},
      actors.supervisor,
    );
    expect(requested.body.errors).toBeUndefined();
    const jobId = requested.body.data.requestDistrictReport.id;
    const done = await eventually(
      () => api.gql(`{ districtReportJob(id: "${jobId}") { state reportId } }`, {}, actors.supervisor),
      (r) => r.body.data?.districtReportJob?.state === 'completed',
      REPORT_WAIT_MS,
    );
    const reportId = done.body.data.districtReportJob.reportId;
    expect(reportId).toMatch(/^[0-9a-f-]{36}$/);

    const read = () =>
      api.gql(
        '{ districtReport(districtCode: "wangcheng", year: 2021) { id content earlier { id } } }',
        {},
        actors.auditor,
      );
    const report = await eventually(
      read,
      (r) => r.body.data?.districtReport?.id === reportId,
      REPORT_WAIT_MS,
    );

    expect(report.body.data.districtReport.content).toMatchObject({
      districtCode: 'wangcheng',
      departments: 2,
      byState: { NONE: 1, SUBMITTED: 1 },
      basis: 1,
      averageTotal: '98.35',
      budget: '1081.19',
      executionRatePercent: '83.47',
      ranking: [{ rank: 1, department: { code: 'wangcheng-shzlfwzx' }, total: '98.35', grade: 'EXCELLENT' }],
    });

    const again = await api.gql(
      'mutation { requestDistrictReport(districtCode: "wangcheng", year: 2021) { id } }',
      {},
      actors.admin,
    );
    const secondJob = again.body.data.requestDistrictReport.id;
    await eventually(
      () => api.gql(`{ districtReportJob(id: "${secondJob}") { state } }`, {}, actors.admin),
      (r) => r.body.data?.districtReportJob?.state === 'completed',
      REPORT_WAIT_MS,
    );
    const both = await eventually(
      read,
      (r) => r.body.data?.districtReport?.earlier?.length === 1,
      REPORT_WAIT_MS,
    );
    expect(both.body.data.districtReport.earlier).toEqual([{ id: reportId }]);
  }, 40_000);

  it('exports the latest report as XLSX (read back cell by cell) and CSV, with the same auth and scope', async () => {
    const server = api.app.getHttpServer();
    const auth = (actor: (typeof actors)[keyof typeof actors]) => ({
      authorization: `Bearer ${api.token(actor)}`,
    });
    const xlsx = await download(server, '/reports/wangcheng/2021.xlsx', api.token(actors.supervisor)).expect(
      200,
    );
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const workbook = await workbookOf(xlsx.body);
    const summary = workbook.getWorksheet('汇总')!;
    const cell = (label: string) => summary.getColumn(1).values.indexOf(label);
    expect(summary.getRow(cell('平均分')).getCell(2).value).toBe('98.35');
    expect(summary.getRow(cell('全年预算数(A)合计(万元)')).getCell(2).value).toBe('1081.19');
    expect(summary.getRow(cell('执行率')).getCell(2).value).toBe('83.47%');
    expect(summary.getRow(cell('登记部门数')).getCell(2).value).toBe(2);
    const departments = workbook.getWorksheet('部门')!;
    expect(departments.getRow(2).values).toEqual([
      undefined,
      '1',
      'wangcheng-shzlfwzx',
      '长沙市望城区社会治理服务中心',
      '已提交',
      '98.35',
      '优',
      '83.47%',
      '',
    ]);

    const csv = await request(server)
      .get('/reports/wangcheng/2021.csv')
      .set(auth(actors.auditor))
      .expect(200);
    expect(csv.text.split('\r\n')[1]).toBe(
      '1,wangcheng-shzlfwzx,长沙市望城区社会治理服务中心,已提交,98.35,优,83.47%,',
    );

    expect((await request(server).get('/reports/wangcheng/2021.csv')).status).toBe(401);
    expect((await request(server).get('/reports/wangcheng/2021.csv').set(auth(actors.clerk))).status).toBe(
      403,
    );
    expect(
      (await request(server).get('/reports/wangcheng/2021.csv').set(auth(actors.otherAuditor))).status,
    ).toBe(404);
    expect(
      (await request(server).get('/reports/wangcheng/2030.xlsx').set(auth(actors.supervisor))).status,
    ).toBe(404);
  });

  it('reports are for supervisors, auditors and admins of the district', async () => {
    expect(
      codeOf(
        (
          await api.gql(
            'mutation { requestDistrictReport(districtCode: "wangcheng", year: 2021) { id } }',
            {},
            actors.clerk,
          )
        ).body,
      ),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(
        (
          await api.gql(
            'mutation { requestDistrictReport(districtCode: "wangcheng", year: 2021) { id } }',
            {},
            actors.otherSupervisor,
          )
        ).body,
      ),
    ).toBe('NOT_FOUND');
    expect(
      (
        await api.gql(
          '{ districtReport(districtCode: "wangcheng", year: 2021) { id } }',
          {},
          actors.otherAuditor,
        )
      ).body.data.districtReport,
    ).toBeNull();
  });
});
