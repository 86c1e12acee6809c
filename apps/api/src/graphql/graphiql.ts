import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';

export const GRAPHIQL_PATH = '/graphiql';

/**
 * GraphiQL 3 and the React 18 it runs on, as the browser builds their packages ship (development
 * dependencies: a production install has none of it, and production never serves it).
 */
function assetFiles(): Record<string, { file: string; type: string }> {
  const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
  const js = 'text/javascript; charset=utf-8';
  return {
    'react.js': { file: path.join(packageDir('react'), 'umd/react.production.min.js'), type: js },
    'react-dom.js': { file: path.join(packageDir('react-dom'), 'umd/react-dom.production.min.js'), type: js },
    'graphiql.js': { file: require.resolve('graphiql/graphiql.min.js'), type: js },
    'graphiql.css': { file: require.resolve('graphiql/graphiql.min.css'), type: 'text/css; charset=utf-8' },
  };
}

/** The page's own script (a file, not inline, so the policy below can forbid inline scripts). */
const START = `'use strict';
const url = new URL('/graphql', location.href).href;
// Same origin: the session cookie (POST /auth/session) signs the IDE in, for queries and subscriptions.
const fetcher = GraphiQL.createFetcher({ url, subscriptionUrl: url.replace(/^http/, 'ws') });
ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, { fetcher }));
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>perf-eval GraphiQL (development)</title>
<link rel="stylesheet" href="${GRAPHIQL_PATH}/assets/graphiql.css">
<style>body { margin: 0; } #graphiql { height: 100vh; }</style>
</head>
<body>
<div id="graphiql">Loading…</div>
<script src="${GRAPHIQL_PATH}/assets/react.js"></script>
<script src="${GRAPHIQL_PATH}/assets/react-dom.js"></script>
<script src="${GRAPHIQL_PATH}/assets/graphiql.js"></script>
<script src="${GRAPHIQL_PATH}/assets/start.js"></script>
</body>
</html>
`;

/**
 * Nothing from anywhere but this service: scripts only from its own files, requests only to itself
 * (`'self'` covers its WebSocket too). GraphiQL's editor sets inline styles, hence style-src.
 */
export const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * GraphiQL at /graphiql, in development only (AppConfig.graphiql): the page and every file it loads come
 * from this service, none from a CDN. It posts application/json, which Apollo's CSRF prevention lets
 * through. Not registered in production, where /graphiql is a 404 like any unknown path.
 */
export function registerGraphiql(fastify: FastifyInstance, log: (message: string) => void): void {
  let files: ReturnType<typeof assetFiles>;
  try {
    files = assetFiles();
  } catch {
    log('GraphiQL is not installed (development dependencies omitted): /graphiql is off');
    return;
  }
  const loaded = new Map<string, Buffer>();
  fastify.get(GRAPHIQL_PATH, (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', GRAPHIQL_CSP).send(PAGE),
  );
  fastify.get<{ Params: { name: string } }>(`${GRAPHIQL_PATH}/assets/:name`, (request, reply) => {
    const { name } = request.params;
    if (name === 'start.js') return reply.type('text/javascript; charset=utf-8').send(START);
    const asset = Object.hasOwn(files, name) ? files[name] : undefined;
    if (!asset)
      return reply
        .code(404)
        .send({ errors: [{ message: 'no such file', extensions: { code: 'NOT_FOUND' } }] });
    let body = loaded.get(name);
    if (!body) loaded.set(name, (body = fs.readFileSync(asset.file)));
    return reply.type(asset.type).header('cache-control', 'no-cache').send(body);
  });
}
