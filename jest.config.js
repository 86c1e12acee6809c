/** One jest config for the whole monorepo: unit specs live beside the code, end-to-end tests under test/. */
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
