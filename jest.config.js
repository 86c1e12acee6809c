/** One jest config for the whole monorepo: unit specs live beside the code, end-to-end tests under test/. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    // isolatedModules: fast transpile only; `npm run typecheck` does the type checking.
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: {
    '^@app/evaluation(|/.*)$': '<rootDir>/libs/evaluation/src$1',
    '^@app/event-store(|/.*)$': '<rootDir>/libs/event-store/src$1',
    '^@app/evaluations(|/.*)$': '<rootDir>/libs/evaluations/src$1',
    '^@app/jobs(|/.*)$': '<rootDir>/libs/jobs/src$1',
  },
  testTimeout: 20000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
