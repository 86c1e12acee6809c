import * as http from 'node:http';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** A running metrics endpoint: the port it listens on (the one given for port 0), and how to stop it. */
export interface MetricsEndpoint {
  port: number;
  close(): Promise<void>;
}

/**
 * A port of its own that serves GET /metrics (Prometheus text) and nothing else, without a token: for
 * a scraper on the internal network, the port never published. The API and the worker each serve one
 * when METRICS_PORT is set (on METRICS_HOST, every address by default). Resolves once listening; a
 * scrape that fails answers 500 and is logged.
 */
export async function serveMetrics(
  scrape: () => Promise<string>,
  where: { port: number; host?: string },
  logError: (message: string) => void,
): Promise<MetricsEndpoint> {
  const onError = (error: unknown) =>
    logError(`metrics scrape failed: ${error instanceof Error ? error.message : String(error)}`);
  const server = http.createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    scrape().then(
      (text) =>
        response
          .writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' })
          .end(text),
      (error: unknown) => {
        onError(error);
        response.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, where.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
