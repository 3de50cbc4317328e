import { base } from './jest.base.config.js';

/**
 * Security tier: `test/security`, each known attack replayed against the real
 * platform (browser, raw sockets, mqtt, parallel HTTP) and, where it applies,
 * the production stack on the engines `infra/up.sh` runs.
 */
export default {
  ...base,
  displayName: 'security',
  testMatch: ['<rootDir>/test/security/**/*.test.ts'],
  testTimeout: 180000,
  maxWorkers: 1,
  // Deletes the Kafka topics the tests created (see the file).
  globalTeardown: '<rootDir>/test/support/drop-test-topics.mjs',
};
