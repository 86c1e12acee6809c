import * as path from 'node:path';
import Database from 'better-sqlite3';
import { READ_MODELS_FILE } from '@app/event-store';
import { tempDataDir } from '@app/event-store/testing/temp-dir';
import { freePort } from '@app/jobs/testing/redis-server';
import { kill, startScript, waitForOutput } from '../../../../test/faults/child-process';
import { signToken } from '../auth/tokens';

const SECRET = 'log-test-secret-0123456789';

/** The service as deployed, in its own process on a fresh data dir, once it says it is listening. */
async function startApi(logLevel: string) {
  const data = tempDataDir();
  const port = await freePort();
  const api = startScript('apps/api/src/main.ts', [], {
    PORT: String(port),
    DATA_DIR: data.dir,
    LOG_LEVEL: logLevel,
    AUTH_JWT_SECRET: SECRET,
  });
  try {
    await waitForOutput(api, (line) => line.includes('perf-eval API on'), 60_000);
  } catch (error) {
    await kill(api);
    data.remove();
    throw error;
  }
  return { api, data, port };
}

describe('structured logs of the running service', () => {
  it('one JSON access line per request with the correlation id; no token, header or ?token= ever logged', async () => {
    const { api, data, port } = await startApi('info');
    try {
      const token = signToken({ id: 'auditor-7', role: 'AUDITOR', district: 'wangcheng' }, SECRET);
      const logged = waitForOutput(api, (line) => line.includes('"correlationId":"trace-42"'), 10_000);
      await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'x-correlation-id': 'trace-42',
        },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      // A body refused before GraphQL runs is logged and answered with its correlation id too.
      const refusedLine = waitForOutput(api, (line) => line.includes('"correlationId":"trace-43"'), 10_000);
      const refused = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-correlation-id': 'trace-43' },
        body: '{ not json',
      });
      expect([refused.status, refused.headers.get('x-correlation-id')]).toEqual([400, 'trace-43']);
      expect(JSON.parse((await refusedLine).find((l) => l.includes('trace-43'))!)).toMatchObject({
        res: { statusCode: 400 },
      });
      const boardLink = waitForOutput(api, (line) => line.includes('/admin/queues?token='), 10_000);
      await fetch(`http://127.0.0.1:${port}/admin/queues?token=${token}`, { redirect: 'manual' });
      const lines = [...(await logged), ...(await boardLink)];

      const access = lines
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, any>)
        .find((entry) => entry.correlationId === 'trace-42')!;
      expect(access).toMatchObject({
        level: 30,
        correlationId: 'trace-42',
        req: { method: 'POST', url: '/graphql' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      });
      expect(lines.join('\n')).not.toContain(token);
      expect(lines.join('\n')).not.toMatch(/authorization/i);
      expect(lines.find((line) => line.includes('/admin/queues?token='))).toContain('token=[redacted]');
    } finally {
      await kill(api);
      data.remove();
    }
  }, 90_000);

  it('a burst of client errors: one access line per request, no error line, no stack, every line with its id', async () => {
    const { api, data, port } = await startApi('info');
    try {
      const clerk = signToken({ id: 'clerk-1', role: 'DEPARTMENT', department: 'wangcheng-x' }, SECRET);
      const post = (id: string, body: unknown, token?: string) =>
        fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-correlation-id': id,
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        });
      const get = (id: string, url: string, token?: string) =>
        fetch(`http://127.0.0.1:${port}${url}`, {
          headers: { 'x-correlation-id': id, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        });
      const everything = waitForOutput(api, (line) => line.includes('"correlationId":"burst-end"'), 20_000);
      everything.catch(() => undefined);
      await post('burst-start', { query: '{ __typename }' });
      // 50 aliased histories a clerk may not read: 50 FORBIDDEN errors in one answer.
      const aliases = Array.from(
        { length: 50 },
        (_, i) => `h${i}: evaluationHistory(id: "x") { pageInfo { hasNextPage } }`,
      );
      const aliased = await post(
        'burst-aliases',
        { query: `query Histories { ${aliases.join(' ')} }` },
        clerk,
      );
      expect(((await aliased.json()) as { errors: unknown[] }).errors).toHaveLength(50);
      await post('burst-anonymous', { query: '{ evaluation(id: "x") { id } }' });
      await post('burst-forged', { query: '{ evaluation(id: "x") { id } }' }, 'forged.token.value');
      await post(
        'burst-forbidden',
        { query: 'query History { evaluationHistory(id: "x") { pageInfo { hasNextPage } } }' },
        clerk,
      );
      await post(
        'burst-variables',
        { query: 'query($n: Int!) { evaluations(first: $n) { totalCount } }', variables: { n: 'ten' } },
        clerk,
      );
      await post('burst-parse', { query: '{ evaluation(id: ' }, clerk);
      await post('burst-validation', { query: '{ nosuchfield }' }, clerk);
      await post('burst-large', { query: `{ ${'__typename '.repeat(2000)}}` }, clerk);
      await post('burst-json', '{ not json');
      await get('burst-download-401', '/evaluations/x.2021.xlsx');
      await get('burst-download-404', '/evaluations/x.2021.xlsx', clerk);
      await post('burst-end', { query: '{ __typename }' });

      const all = await everything;
      const lines = all.slice(all.findIndex((line) => line.includes('"correlationId":"burst-start"')));
      const entries = lines.map((line) => JSON.parse(line) as Record<string, any>);
      expect(entries.filter((entry) => entry.level >= 50)).toEqual([]);
      expect(lines.filter((line) => /stack|\bat .+:\d+:\d+/.test(line))).toEqual([]);
      expect(entries.filter((entry) => typeof entry.correlationId !== 'string')).toEqual([]);
      const byId = (id: string) => entries.filter((entry) => entry.correlationId === id);
      for (const id of [
        'burst-aliases',
        'burst-anonymous',
        'burst-forbidden',
        'burst-parse',
        'burst-download-404',
      ])
        expect(byId(id)).toHaveLength(1);
      expect(byId('burst-aliases')[0]).toMatchObject({
        level: 40,
        msg: 'request completed',
        graphql: { operationName: 'Histories', errors: { FORBIDDEN: 50 } },
      });
      // Authentication and authorisation failures are warnings: someone probing, or a session expired.
      expect(byId('burst-anonymous')[0]).toMatchObject({
        level: 40,
        graphql: { errors: { UNAUTHENTICATED: 1 } },
      });
      expect(byId('burst-forged')[0]).toMatchObject({
        level: 40,
        graphql: { errors: { UNAUTHENTICATED: 1 } },
      });
      expect(byId('burst-forbidden')[0]).toMatchObject({
        level: 40,
        graphql: { operationName: 'History', errors: { FORBIDDEN: 1 } },
      });
      expect(byId('burst-variables')[0]).toMatchObject({
        level: 30,
        graphql: { errors: { BAD_USER_INPUT: 1 } },
      });
      expect(byId('burst-parse')[0]).toMatchObject({
        level: 30,
        graphql: { errors: { GRAPHQL_PARSE_FAILED: 1 } },
      });
      expect(byId('burst-validation')[0]).toMatchObject({
        level: 30,
        graphql: { errors: { GRAPHQL_VALIDATION_FAILED: 1 } },
      });
      // Codes the formatter gives (the token cap stops the parser): logged as the client saw them.
      expect(byId('burst-large')[0]).toMatchObject({
        level: 30,
        graphql: { errors: { QUERY_TOO_LARGE: 1 } },
      });
      expect(byId('burst-json')[0]).toMatchObject({ level: 30, res: { statusCode: 400 } });
      expect(byId('burst-download-401')[0]).toMatchObject({ level: 40, res: { statusCode: 401 } });
      expect(byId('burst-download-404')[0]).toMatchObject({ level: 30, res: { statusCode: 404 } });
    } finally {
      await kill(api);
      data.remove();
    }
  }, 90_000);

  it('an unexpected failure: the client sees INTERNAL_SERVER_ERROR only, the log has it in full with the id', async () => {
    const { api, data, port } = await startApi('warn');
    try {
      // A damaged read model, as a failing disk or a bad manual repair would leave it.
      const readModels = new Database(path.join(data.dir, READ_MODELS_FILE));
      readModels.exec('DROP VIEW evaluation_summaries; DROP VIEW district_reports');
      readModels.close();
      const token = signToken({ id: 'sup-1', role: 'SUPERVISOR', district: 'wangcheng' }, SECRET);
      const logged = waitForOutput(
        api,
        (line) => line.includes('"msg":"unexpected error"') && line.includes('trace-44'),
        10_000,
      );
      const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'x-correlation-id': 'trace-44',
        },
        body: JSON.stringify({ query: '{ evaluations { totalCount } }' }),
      });
      const body = await answer.text();
      expect(JSON.parse(body).errors).toEqual([
        expect.objectContaining({
          message: 'Internal server error',
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        }),
      ]);
      expect(body).not.toMatch(/evaluation_summaries|sqlite|SELECT/i);
      const entry = (await logged)
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, any>)
        .find((e) => e.msg === 'unexpected error')!;
      expect(entry).toMatchObject({ level: 50, correlationId: 'trace-44', context: 'GraphQL' });
      expect(entry.err.message).toContain('no such table: evaluation_summaries');
      expect(entry.err.stack).toContain('evaluations.queries');

      // Three aliases of one broken field: three errors for the client, one error line in the log.
      const ask = (id: string, query: string) =>
        fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'x-correlation-id': id,
          },
          body: JSON.stringify({ query }),
        });
      const report = 'districtReport(districtCode: "wangcheng", year: 2021) { id }';
      // Lines come out in order: once the next request's error line is out, all of trace-46's are.
      const untilNext = waitForOutput(
        api,
        (line) => line.includes('trace-47') && line.includes('unexpected'),
        10_000,
      );
      const thrice = await ask('trace-46', `{ a: ${report} b: ${report} c: ${report} }`);
      expect(((await thrice.json()) as { errors: unknown[] }).errors).toHaveLength(3);
      await ask('trace-47', `{ ${report} }`);
      const errorLines = (await untilNext)
        .filter((line) => line.includes('"correlationId":"trace-46"'))
        .map((line) => JSON.parse(line) as Record<string, any>)
        .filter((e) => e.msg === 'unexpected error');
      expect(errorLines).toHaveLength(1);
      expect(errorLines[0]).toMatchObject({
        level: 50,
        more: 2,
        err: { message: expect.stringContaining('district_reports') },
      });

      // The same for a download: a bare 500 in the GraphQL error shape, the details in the log only.
      const downloadLogged = waitForOutput(
        api,
        // the access line comes last: a 5xx is logged at error level, so even at LOG_LEVEL=warn
        (line) => line.includes('"msg":"request errored"') && line.includes('trace-45'),
        10_000,
      );
      const download = await fetch(`http://127.0.0.1:${port}/reports/wangcheng/2021.xlsx`, {
        headers: { authorization: `Bearer ${token}`, 'x-correlation-id': 'trace-45' },
      });
      expect(download.status).toBe(500);
      expect(await download.json()).toEqual({
        errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      });
      const downloadEntries = (await downloadLogged)
        .filter((line) => line.includes('trace-45'))
        .map((line) => JSON.parse(line) as Record<string, any>);
      expect(downloadEntries.find((e) => e.msg === 'unexpected error')).toMatchObject({
        level: 50,
        context: 'HTTP',
        err: { message: expect.stringContaining('no such table: district_reports') },
      });
      expect(downloadEntries.find((e) => e.msg === 'request errored')).toMatchObject({
        level: 50,
        req: { method: 'GET', url: '/reports/wangcheng/2021.xlsx' },
        res: { statusCode: 500 },
      });
    } finally {
      await kill(api);
      data.remove();
    }
  }, 90_000);
});
