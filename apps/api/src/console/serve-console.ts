import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const CONSOLE_PATH = '/console';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};
/** Built asset names: Vite's hashed file names, nothing that could climb out of the folder. */
const ASSET_NAME = /^\w[\w.-]*$/;

/**
 * The page may load and connect to nothing but this origin (and, for the OIDC code exchange, the
 * identity provider): no script from elsewhere, no inline script, not framed by another site.
 */
export function consolePolicy(identityProviderOrigins: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${identityProviderOrigins.join(' ')}`.trim(),
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * Serves the web console (apps/web, built into `dir`) under /console/: its hashed assets cached for a
 * year, its page for every other path below (the console routes in the browser), never cached. The
 * root redirects to it. When the console is not built the routes answer 404 saying how to build it.
 */
export function serveConsole(fastify: FastifyInstance, dir: string, policy = consolePolicy()): void {
  const index = path.join(dir, 'index.html');
  const page = (reply: FastifyReply) => {
    if (!fs.existsSync(index))
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send('the console is not built: npm run build:web');
    return reply
      .header('cache-control', 'no-cache')
      .header('content-security-policy', policy)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .type('text/html; charset=utf-8')
      .send(fs.createReadStream(index));
  };
  fastify.get('/', (_request, reply) => reply.redirect(`${CONSOLE_PATH}/`));
  fastify.get(`${CONSOLE_PATH}/assets/:name`, (request, reply) => {
    const { name } = request.params as { name: string };
    const file = path.join(dir, 'assets', name);
    if (!ASSET_NAME.test(name) || !fs.existsSync(file))
      return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .type(TYPES[path.extname(name)] ?? 'application/octet-stream')
      .send(fs.createReadStream(file));
  });
  fastify.get(CONSOLE_PATH, (_request, reply) => page(reply));
  fastify.get(`${CONSOLE_PATH}/*`, (_request, reply) => page(reply));
}
