import type { ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import { tempDataDir } from '@app/event-store/testing/temp-dir';
import { freePort } from '@app/jobs/testing/redis-server';
import { kill, startScript, waitForOutput } from '../../../test/faults/child-process';
import { CORRELATION_ATTRIBUTE, TRACE_HEADER } from './tracing';

interface ExportedSpan {
  traceId: string;
  name: string;
  attributes: Array<{ key: string; value: { stringValue?: string } }>;
}

/** An OTLP/HTTP receiver (JSON): every span it is sent. */
async function otlpReceiver(): Promise<{ url: string; spans: ExportedSpan[]; close(): Promise<void> }> {
  const spans: ExportedSpan[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        const parsed = JSON.parse(body) as {
          resourceSpans: Array<{ scopeSpans: Array<{ spans: ExportedSpan[] }> }>;
        };
        for (const resource of parsed.resourceSpans)
          for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('tracing (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  let data: ReturnType<typeof tempDataDir>;
  let api: ChildProcess | null = null;
  beforeEach(async () => {
    receiver = await otlpReceiver();
    data = tempDataDir('perf-eval-tracing-');
  });
  afterEach(async () => {
    if (api) await kill(api);
    await receiver.close();
    data.remove();
  });

  it('exports a span per request, tied to its correlation id, and names the trace in the response', async () => {
    const port = await freePort();
    api = startScript('apps/api/src/main.ts', [], {
      PORT: String(port),
      DATA_DIR: data.dir,
      LOG_LEVEL: 'silent',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_SERVICE_NAME: 'perf-eval-test',
    });
    await waitForOutput(api, (line) => line.includes('perf-eval API on'), 60_000);
    const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'corr-traced-1' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(answer.status).toBe(200);
    const traceId = answer.headers.get(TRACE_HEADER);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    await fetch(`http://127.0.0.1:${port}/health/live`);

    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !receiver.spans.some((s) => s.traceId === traceId))
      await new Promise((resolve) => setTimeout(resolve, 100));
    const span = receiver.spans.find((s) => s.traceId === traceId);
    expect(span).toBeDefined();
    expect(span!.attributes).toContainEqual({
      key: CORRELATION_ATTRIBUTE,
      value: { stringValue: 'corr-traced-1' },
    });
    // probes are not traced
    expect(
      receiver.spans.some((s) => s.attributes.some((a) => a.value.stringValue?.includes('/health'))),
    ).toBe(false);
  }, 90_000);
});
