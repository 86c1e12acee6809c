/**
 * One jest config for the whole monorepo: unit specs live beside the code, end-to-end tests under test/.
 *
 * NestJS 12 (@nestjs/* 12, @nestjs/graphql and @nestjs/apollo 14) ships as ES modules only; the service
 * is CommonJS and requires them, which Node 24 does natively (require(esm)). Jest can too, but only with
 * `--experimental-vm-modules`, and with that flag Node gives every module jest compiles its own dynamic
 * import callback, so V8 can no longer reuse a module compiled for an earlier test file: every file then
 * compiles all its dependencies again (~30 % longer suite here). So the suite keeps jest's CommonJS
 * loader and babel-jest turns those packages into CommonJS once (cached like our own files): their
 * import/export, `import.meta` and a module-level `require` binding (test/support/esm-to-commonjs.js).
 * Packages that also ship CommonJS are loaded as they are.
 */
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ESM_TO_COMMONJS = path.join(__dirname, 'test/support/esm-to-commonjs.js');
// babel-jest's cache key covers the plugins' options, not their code: a change to the plugin's code must
// not leave modules transformed by its previous version in the cache.
const ESM_TO_COMMONJS_VERSION = createHash('sha256').update(fs.readFileSync(ESM_TO_COMMONJS)).digest('hex');

const ESM_ONLY = ['@nestjs', 'content-disposition', 'cookie', 'jose'];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    // tsconfig.spec.json sets isolatedModules: ts-jest then transpiles only (fast); `npm run typecheck`
    // does the type checking.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json' }],
    '^.+\\.js$': [
      'babel-jest',
      {
        babelrc: false,
        configFile: false,
        plugins: [
          [ESM_TO_COMMONJS, { version: ESM_TO_COMMONJS_VERSION }],
          '@babel/plugin-transform-modules-commonjs',
        ],
      },
    ],
  },
  // A file in node_modules is left as it is unless its own package (after the last node_modules/) is
  // one of those.
  transformIgnorePatterns: [`/node_modules/(?!(?:${ESM_ONLY.join('|')})/)(?!.*/node_modules/)`],
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
