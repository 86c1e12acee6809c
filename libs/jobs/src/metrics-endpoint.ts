import * as http from 'node:http';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * A port of its own that serves GET /metrics (Prometheus text) and nothing else, without a token: for
 * a scraper on the internal network, the port never published. The API and the worker each serve one
 * when METRICS_PORT is set. Resolves once listening; a scrape that fails answers 500 and is reported.
 */
export async function serveMetrics(
  scrape: () => Promise<string>,
  port: number,
  host: string,
  onError: (error: unknown) => void,
): Promise<http.Server> {
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
    server.listen(port, host, () => resolve());
  });
  return server;
}

/** The port a server listens on, or null when it does not. */
export function listeningPort(server: http.Server | null): number | null {
  const address = server?.address();
  return address && typeof address === 'object' ? address.port : null;
}
