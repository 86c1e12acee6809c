// @ts-check
import eslint from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Files under `files` may not import any of `forbidden` (package names or path globs). */
function layer(files, message, forbidden, forbiddenNames = []) {
  const paths = forbiddenNames.map(([name, importNames]) => ({ name, importNames, message }));
  return [
    {
      files: [files],
      ignores: ['**/*.spec.ts', '**/testing/**'],
      rules: { 'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message }], paths }] },
    },
  ];
}

const FRAMEWORKS = ['@nestjs/*', 'fastify', '@fastify/*', 'express', 'graphql'];
/** Our libraries by name, with and without a deep path. */
const ours = (...names) => names.flatMap((name) => [`@app/${name}`, `@app/${name}/*`]);

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'jest.config.js', 'test/support/*.js'],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // CommonJS that Node runs as it is (infra/run-from-source.js).
    files: ['infra/**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'readonly', __dirname: 'readonly', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests mutate untyped JSON documents on purpose (to build bad input).
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The console: React's rules of hooks, and the page talks to the API only (no server code).
    files: ['apps/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  ...layer(
    'apps/web/src/**/*.{ts,tsx}',
    'The console runs in the browser: it reaches the API over HTTP only.',
    [
      ...FRAMEWORKS,
      'better-sqlite3',
      '@eventstore/*',
      'bullmq',
      'ioredis',
      ...ours('domain', 'event-store', 'application', 'read-models', 'jobs'),
      '**/apps/api/**',
    ],
  ),
  // The dependency rule, checked in CI by `npm run lint`: domain ← application ← adapters ← apps.
  // Each layer may import only what lies beneath it: the domain nothing of ours but itself; the event
  // store (a port with its adapters) nothing of the domain's; the application the domain and the port,
  // no framework; the read models the layers beneath, no framework; no library any app.
  ...layer(
    'libs/domain/src/**/*.ts',
    'The domain is plain TypeScript: no framework, storage, queue or other layer.',
    [
      ...FRAMEWORKS,
      'better-sqlite3',
      '@eventstore/*',
      'bullmq',
      'ioredis',
      ...ours('event-store', 'application', 'read-models', 'jobs'),
      '**/apps/**',
    ],
  ),
  ...layer('libs/event-store/src/**/*.ts', 'The event store knows events, not the domain or the apps.', [
    ...FRAMEWORKS,
    ...ours('domain', 'application', 'read-models', 'jobs'),
    '**/apps/**',
  ]),
  ...layer(
    'libs/application/src/**/*.ts',
    'The application layer runs the domain on the event-store port: no framework, SQL, read model or app.',
    [...FRAMEWORKS, 'better-sqlite3', ...ours('read-models', 'jobs'), '**/apps/**'],
    [['@app/event-store', ['SqliteDatabase', 'prepared', 'openReadModelDatabase', 'openDatabase']]],
  ),
  ...layer('libs/read-models/src/**/*.ts', 'Read models fold events into tables: no framework, job or app.', [
    ...FRAMEWORKS,
    ...ours('jobs'),
    '**/apps/**',
  ]),
  ...layer('libs/jobs/src/**/*.ts', 'What API and worker share about jobs is data only.', [
    ...FRAMEWORKS,
    ...ours('application', 'read-models'),
    '**/apps/**',
  ]),
);
