/**
 * One jest config for the whole monorepo: unit specs live beside the code, end-to-end tests under test/.
 *
 * NestJS 12 (and @nestjs/graphql 14, @nestjs/apollo 14, …) ship as ES modules only; our code stays
 * CommonJS and requires them, which Node 24 does natively (require(esm)). Jest runs every module in its
 * own loader, and its require(esm) needs `vm.SourceTextModule`, which Node only provides with
 * `--experimental-vm-modules`. So that `npx jest …` and `npm test` work as they did, a run started
 * without the flag starts jest again with it (the workers inherit it) and exits with its status; no
 * transform of node_modules is involved, so packages run exactly as shipped, as they do in production.
 */
const { spawnSync } = require('node:child_process');
const vm = require('node:vm');

const REQUIRE_ESM_FLAG = '--experimental-vm-modules';
const supportsRequireEsm = typeof vm.SourceTextModule?.prototype.hasAsyncGraph === 'function';
if (!supportsRequireEsm) {
  if (process.env.PERF_EVAL_JEST_REEXEC) {
    throw new Error(
      `jest needs Node 24.9+ with ${REQUIRE_ESM_FLAG} to require NestJS's ES modules (node ${process.version})`,
    );
  }
  const run = spawnSync(
    process.execPath,
    [
      REQUIRE_ESM_FLAG,
      '--disable-warning=ExperimentalWarning',
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    { stdio: 'inherit', env: { ...process.env, PERF_EVAL_JEST_REEXEC: '1' } },
  );
  process.exit(run.status ?? 1);
}

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    // tsconfig.spec.json sets isolatedModules: ts-jest then transpiles only (fast); `npm run typecheck`
    // does the type checking.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json' }],
  },
  moduleNameMapper: {
    '^@app/domain(|/.*)$': '<rootDir>/libs/domain/src$1',
    '^@app/application(|/.*)$': '<rootDir>/libs/application/src$1',
    '^@app/read-models(|/.*)$': '<rootDir>/libs/read-models/src$1',
    '^@app/event-store(|/.*)$': '<rootDir>/libs/event-store/src$1',
    '^@app/jobs(|/.*)$': '<rootDir>/libs/jobs/src$1',
  },
  testTimeout: 20000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
