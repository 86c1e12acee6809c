import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console: built into dist/web and served by the API under /console/ (one origin, so the session
 * cookie, GraphQL and its subscriptions need no CORS). `vite` alone serves it for development, proxying
 * the API at API_URL (default http://127.0.0.1:3000).
 */
const api = process.env.API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  // React's automatic JSX runtime through Vite's own transform: no plugin needed for a production build.
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // Nothing from outside the service: fonts, icons and charts are the page's own.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/graphql': { target: api, ws: true },
      '/auth': api,
      '/evaluations': api,
      '/reports': api,
      '/admin': api,
    },
  },
});
