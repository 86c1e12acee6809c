import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { redactedUrl, requestLogging } from './request-logging';

/** A real HTTP server with only the logging middleware, its lines collected as parsed JSON. */
async function serverLogging(handle: (res: http.ServerResponse) => void) {
  const lines: Array<Record<string, any>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const middleware = requestLogging(pino({ level: 'info' }, sink));
  const server = http.createServer((req, res) => middleware(req, res, () => handle(res)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return { lines, port, close: () => new Promise((resolve) => server.close(resolve)) };
}

const until = async (done: () => boolean) => {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('request logging', () => {
  it('one access line per answer: info for a 2xx, error for a 5xx, with id, method, URL and status', async () => {
    let status = 200;
    const server = await serverLogging((res) => {
      res.statusCode = status;
      res.end('{}');
    });
    try {
      const ok = await fetch(`http://127.0.0.1:${server.port}/graphql`, {
        headers: { 'x-correlation-id': 'trace-1' },
      });
      status = 500;
      const failed = await fetch(`http://127.0.0.1:${server.port}/reports/x?token=secret`);
      await until(() => server.lines.length === 2);
      expect(ok.headers.get('x-correlation-id')).toBe('trace-1');
      expect(server.lines).toEqual([
        expect.objectContaining({
          level: 30,
          msg: 'request completed',
          correlationId: 'trace-1',
          req: { method: 'GET', url: '/graphql' },
          res: { statusCode: 200 },
        }),
        expect.objectContaining({
          level: 50,
          msg: 'request errored',
          correlationId: failed.headers.get('x-correlation-id'),
          req: { method: 'GET', url: '/reports/x?token=[redacted]' },
          res: { statusCode: 500 },
        }),
      ]);
    } finally {
      await server.close();
    }
  });

  it('a client that hangs up before its answer: one warning, "request aborted"', async () => {
    const server = await serverLogging(() => undefined); // never answers
    try {
      const request = http.get(`http://127.0.0.1:${server.port}/evaluations/x.xlsx`);
      request.on('error', () => undefined);
      await once(request, 'socket');
      await new Promise((resolve) => setTimeout(resolve, 50));
      request.destroy();
      await until(() => server.lines.length === 1);
      expect(server.lines).toEqual([
        expect.objectContaining({
          level: 40,
          msg: 'request aborted',
          req: { method: 'GET', url: '/evaluations/x.xlsx' },
        }),
      ]);
    } finally {
      await server.close();
    }
  });

  it('credentials in the query string are redacted however they are written, every time they appear', () => {
    expect(redactedUrl('/admin/queues?token=abc')).toBe('/admin/queues?token=[redacted]');
    expect(redactedUrl('/admin/queues?%74oken=abc&x=1&TOKEN=def&token=ghi&access_token=jkl')).toBe(
      '/admin/queues?token=[redacted]&x=1&TOKEN=[redacted]&token=[redacted]&access_token=[redacted]',
    );
    expect(redactedUrl('/a?tok%65n=abc')).toBe('/a?token=[redacted]');
    expect(redactedUrl('/a?b=1&c=%E4%B8%AD')).toBe('/a?b=1&c=%E4%B8%AD'); // nothing secret: as it came
    expect(redactedUrl('/a')).toBe('/a');
  });

  it('refused credentials are warnings, with the GraphQL outcome on the same line', async () => {
    let status = 401;
    const server = await serverLogging((res) => {
      res.statusCode = status;
      res.end('{}');
    });
    try {
      await fetch(`http://127.0.0.1:${server.port}/evaluations/x.xlsx`);
      status = 403;
      await fetch(`http://127.0.0.1:${server.port}/admin/queues/`);
      status = 404;
      await fetch(`http://127.0.0.1:${server.port}/evaluations/y.xlsx`);
      await until(() => server.lines.length === 3);
      expect(server.lines.map((line) => [line.level, line.res.statusCode])).toEqual([
        [40, 401],
        [40, 403],
        [30, 404],
      ]);
    } finally {
      await server.close();
    }
  });
});
