import { base } from './jest.base.config.js';

/** End-to-end tier: `test/e2e`, the apps started as processes and driven like a hub or an operator would. */
export default {
  ...base,
  displayName: 'e2e',
  testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
  testTimeout: 180000,
  maxWorkers: 1,
  // Deletes the Kafka topics the tests created (see the file).
  globalTeardown: '<rootDir>/test/support/drop-test-topics.mjs',
};
