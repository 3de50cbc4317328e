import { describe } from '@jest/globals';
import { rmSync } from 'node:fs';
import { restoreDrill } from './restore-drill.suite.js';

/**
 * The restore drill on the embedded default: SQLite databases and key files
 * in a temporary DATA_DIR, the archive key generated into it; the wipe
 * removes the whole folder.
 */
describe('restore drill, embedded default', () => {
  restoreDrill({
    name: 'embedded',
    envBefore: () => ({}),
    envAfter: () => ({}),
    wipe: (before) => {
      rmSync(before.DATA_DIR, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
});
