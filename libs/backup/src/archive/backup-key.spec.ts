import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveBackupKey } from './backup-key.js';

const dataDir = () => mkdtempSync(join(tmpdir(), 'cc-key-'));

describe('backup key', () => {
  it('refuses to run outside the embedded quick start with no key configured', () => {
    for (const mode of ['production', 'mixed'] as const)
      expect(() => resolveBackupKey({ DATA_DIR: dataDir() }, mode, { create: true })).toThrow(
        /needs BACKUP_KEY or BACKUP_KEY_FILE/,
      );
  });

  it('generates one key into DATA_DIR (0600) for the embedded quick start and reuses it', () => {
    const dir = dataDir();
    const first = resolveBackupKey({ DATA_DIR: dir }, 'embedded', { create: true });
    expect(statSync(join(dir, 'backup-key')).mode & 0o777).toBe(0o600);
    expect(resolveBackupKey({ DATA_DIR: dir }, 'embedded', { create: false }).key.equals(first.key)).toBe(
      true,
    );
  });

  it('never generates one for verify or restore', () => {
    expect(() => resolveBackupKey({ DATA_DIR: dataDir() }, 'embedded', { create: false })).toThrow(
      /no BACKUP_KEY/,
    );
  });

  it('derives the same key from BACKUP_KEY and from a BACKUP_KEY_FILE holding it, and refuses a short one', () => {
    const secret = 'k'.repeat(40);
    const file = join(dataDir(), 'key');
    writeFileSync(file, `${secret}\n`);
    const fromEnv = resolveBackupKey({ DATA_DIR: dataDir(), BACKUP_KEY: secret }, 'production', {
      create: true,
    });
    const fromFile = resolveBackupKey({ DATA_DIR: dataDir(), BACKUP_KEY_FILE: file }, 'production', {
      create: true,
    });
    expect(fromEnv.key.equals(fromFile.key)).toBe(true);
    writeFileSync(file, 'short');
    expect(() =>
      resolveBackupKey({ DATA_DIR: dataDir(), BACKUP_KEY_FILE: file }, 'production', { create: true }),
    ).toThrow(/under 32 bytes/);
    expect(() =>
      resolveBackupKey({ DATA_DIR: dataDir(), BACKUP_KEY_FILE: '/nonexistent/key' }, 'production', {
        create: true,
      }),
    ).toThrow(/cannot be read/);
  });
});
