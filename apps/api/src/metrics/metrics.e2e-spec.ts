import type { Actor } from '@app/domain';
import request from 'supertest';
import { EVALUATION_ID, actors, seedExample } from '../testing/graphql-fixtures';
import { startTestApp, type TestApp } from '../testing/test-app';
import { MetricsServer } from './metrics-server';
import { metricSample } from '@app/jobs/testing/metric-sample';

const EDIT = `mutation($v: Int!) {
  updateIndicator(id: "${EVALUATION_ID}", expectedVersion: $v, rowId: "r1", input: { actual: "7" }) { version }
}`;

describe('Prometheus metrics', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
    await seedExample(api);
  });
  afterAll(() => api.close());

  const scrape = (actor: Actor = actors.admin) =>
    request(api.app.getHttpServer())
      .get('/metrics')
      .set('authorization', `Bearer ${api.token(actor)}`);

  it('are not public: 401 without a token, 403 for anyone but an administrator of every district', async () => {
    const anonymous = await request(api.app.getHttpServer()).get('/metrics').expect(401);
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    for (const actor of [
      actors.clerk,
      actors.supervisor,
      { id: 'a', role: 'ADMIN', district: 'wangcheng' } as const,
    ]) {
      const refused = await scrape(actor).expect(403);
      expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(refused.text).not.toContain('perf_eval_');
    }
  });

  it('count operations by root field and outcome, commands by type and outcome, appends and group commits', async () => {
    const before = (await scrape().expect(200)).text;
    const ok = await api.gql(EDIT, { v: 1 }, actors.clerk).expect(200);
    expect(ok.body.data.updateIndicator.version).toBe(2);
    const stale = await api.gql(EDIT, { v: 1 }, actors.clerk).expect(200);
    expect(stale.body.errors[0].extensions.code).toBe('VERSION_CONFLICT');
    // A client's operation name never becomes a label: the root field does.
    await request(api.app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${api.token(actors.clerk)}`)
      .send({ query: `query client_chosen_name_42 { evaluation(id: "${EVALUATION_ID}") { version } }` })
      .expect(200);

    const after = await scrape().expect(200);
    expect(after.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const text = after.text;
    const grew = (series: string) => (metricSample(text, series) ?? 0) - (metricSample(before, series) ?? 0);
    expect(
      grew('perf_eval_graphql_operation_seconds_count{field="updateIndicator",type="mutation",outcome="ok"}'),
    ).toBe(1);
    expect(
      grew(
        'perf_eval_graphql_operation_seconds_count{field="updateIndicator",type="mutation",outcome="VERSION_CONFLICT"}',
      ),
    ).toBe(1);
    expect(
      grew('perf_eval_graphql_operation_seconds_count{field="evaluation",type="query",outcome="ok"}'),
    ).toBe(1);
    expect(text).not.toContain('client_chosen_name_42');
    expect(grew('perf_eval_command_seconds_count{command="UpdateIndicator",outcome="ok"}')).toBe(1);
    expect(
      grew('perf_eval_command_seconds_count{command="UpdateIndicator",outcome="VERSION_CONFLICT"}'),
    ).toBe(1);
    expect(grew('perf_eval_event_store_append_seconds_count{outcome="ok"}')).toBe(1);
    expect(grew('perf_eval_event_store_group_commit_appends_count')).toBe(1);
    // The edit waited for its read models (read-your-writes), so none is behind.
    expect(metricSample(text, 'perf_eval_projection_lag_events{projection="evaluation-summaries"}')).toBe(0);
    expect(metricSample(text, 'perf_eval_projection_lag_events{projection="audit-history"}')).toBe(0);
    expect(metricSample(text, 'perf_eval_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toContain('perf_eval_nodejs_eventloop_lag_seconds');
  });

  it("count the event loop's busy time, blocking calls included", async () => {
    const busy = async () =>
      metricSample((await scrape().expect(200)).text, 'perf_eval_event_loop_busy_seconds_total') ?? NaN;
    const before = await busy();
    // The loop held for 300 ms without using the CPU, as a commit's fsync holds it: process CPU time
    // would not see this.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
    const after = await busy();
    expect(after - before).toBeGreaterThanOrEqual(0.3);
    // Idle time is not counted: a quiet second adds far less than a second.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await busy()) - after).toBeLessThan(0.5);
  });

  it('are served without a token on METRICS_PORT, and nothing else is', async () => {
    const second = await startTestApp({ metricsPort: 0, metricsHost: '127.0.0.1' });
    try {
      const port = second.app.get(MetricsServer).port;
      expect(port).toBeGreaterThan(0);
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('perf_eval_process_resident_memory_bytes');
      expect((await fetch(`http://127.0.0.1:${port}/graphql`)).status).toBe(404);
    } finally {
      await second.close();
    }
    expect(api.app.get(MetricsServer).port).toBeNull();
  });
});
