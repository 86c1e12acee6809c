// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Files under `files` may not import any of `forbidden` (package names or path globs). */
function layer(files, message, forbidden) {
  return [
    {
      files: [files],
      ignores: ['**/*.spec.ts', '**/testing/**'],
      rules: { 'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message }] }] },
    },
  ];
}

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
    // Tests mutate untyped JSON documents on purpose (to build bad input).
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // The dependency rule, checked in CI by `npm run lint`: domain ← application ← adapters ← apps.
  // Each layer may import only what lies inside it: the domain nothing of ours but itself, the event
  // store (a port with its adapters) nothing of the domain's, the application no framework or app.
  ...layer(
    'libs/evaluation/src/**/*.ts',
    'The evaluation domain is plain TypeScript: no framework, storage, queue or other layer.',
    [
      '@nestjs/*',
      'better-sqlite3',
      '@eventstore/*',
      'bullmq',
      'ioredis',
      'express',
      'graphql',
      '@app/event-store',
      '@app/event-store/*',
      '@app/evaluations',
      '@app/evaluations/*',
      '@app/jobs',
      '@app/jobs/*',
      '**/apps/**',
    ],
  ),
  ...layer('libs/event-store/src/**/*.ts', 'The event store knows events, not the domain or the apps.', [
    '@nestjs/*',
    '@app/evaluation',
    '@app/evaluation/*',
    '@app/evaluations',
    '@app/evaluations/*',
    '@app/jobs',
    '@app/jobs/*',
    '**/apps/**',
  ]),
  ...layer(
    'libs/evaluations/src/**/*.ts',
    'The application layer runs the domain on the ports; no framework or app.',
    ['@nestjs/*', 'express', 'graphql', '**/apps/**'],
  ),
  ...layer('libs/jobs/src/**/*.ts', 'What API and worker share about jobs is data only.', [
    '@nestjs/*',
    '@app/evaluations',
    '@app/evaluations/*',
    '**/apps/**',
  ]),
);
