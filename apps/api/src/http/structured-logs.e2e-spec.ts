import { tempDataDir } from '@app/event-store/testing/temp-dir';
import { freePort } from '@app/jobs/testing/redis-server';
import { kill, startScript, waitForOutput } from '../../../../test/faults/child-process';
import { signToken } from '../auth/tokens';

const SECRET = 'log-test-secret-0123456789';

describe('structured logs of the running service (LOG_LEVEL=info)', () => {
  it('one JSON access line per request with the correlation id; no token, header or ?token= ever logged', async () => {
    const data = tempDataDir();
    const port = await freePort();
    const api = startScript('apps/api/src/main.ts', [], {
      PORT: String(port),
      DATA_DIR: data.dir,
      LOG_LEVEL: 'info',
      AUTH_JWT_SECRET: SECRET,
    });
    try {
      const started = waitForOutput(api, (line) => line.includes('perf-eval API on'), 60_000);
      await started;
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
});
