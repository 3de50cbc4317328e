// Shared jest settings for the three tiers (unit, integration, e2e).
// ESM throughout: Nest 12 and aedes 1.x ship as ES modules only, so tests run
// under `node --experimental-vm-modules` and swc emits ES modules.
const swcOptions = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

/** @type {import('jest').Config} */
export const base = {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcOptions],
    // content-disposition 3 is ESM only, and @fastify/static (CommonJS; it serves the OpenAPI UI at /docs)
    // requires it: Node >= 20.19 does that natively (require(esm)), Jest's CommonJS runtime only from
    // Node 24.9. So for tests it is compiled to CommonJS.
    '/node_modules/content-disposition/.+\\.js$': [
      '@swc/jest',
      { ...swcOptions, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleNameMapper: {
    '^@coldchain/firmware-sim$': '<rootDir>/gateway-firmware-sim/src/index.ts',
    '^@coldchain/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  setupFiles: ['<rootDir>/test/setup-env.cjs'],
};
