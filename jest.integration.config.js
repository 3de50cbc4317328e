import { base } from './jest.base.config.js';

/** Integration tier: `test/integration`, real engines (aedes, SQLite, SMTP, and the infra:up stack). */
export default {
  ...base,
  displayName: 'integration',
  testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
  // Deletes the Kafka topics the tests created (see the file).
  globalTeardown: '<rootDir>/test/support/drop-test-topics.mjs',
};
