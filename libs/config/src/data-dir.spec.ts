import { describe, expect, it } from '@jest/globals';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preparePrivateFile, tightenDataDir, writePrivateFile } from './data-dir.js';
import { checkSecretFiles, readOrCreateSecretFile } from './secret-file.js';
import { WeakSecretError } from './weak-secret.error.js';

const mode = (path: string): number => statSync(path).mode & 0o777;
const scratch = (): string => mkdtempSync(join(tmpdir(), 'cc-data-dir-'));

describe('data files', () => {
  it('prepares a database file 0600 in a new 0700 folder, and tightens its existing SQLite side files', () => {
    const dir = join(scratch(), 'var');
    preparePrivateFile(join(dir, 'metadata.db'));
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'metadata.db'))).toBe(0o600);
    writeFileSync(join(dir, 'metadata.db-wal'), '', { mode: 0o644 });
    chmodSync(join(dir, 'metadata.db'), 0o644);
    preparePrivateFile(join(dir, 'metadata.db'));
    expect([mode(join(dir, 'metadata.db')), mode(join(dir, 'metadata.db-wal'))]).toEqual([0o600, 0o600]);
  });

  it('writes 0600 over a file that existed readable', () => {
    const file = join(scratch(), 'demo-credentials.json');
    writeFileSync(file, 'old', { mode: 0o644 });
    chmodSync(file, 0o644);
    writePrivateFile(file, 'new');
    expect([readFileSync(file, 'utf8'), mode(file)]).toEqual(['new', 0o600]);
  });

  it('tightens DATA_DIR and its top-level files, reports what it changed, and leaves symlinks alone', () => {
    const dir = scratch();
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'telemetry.db'), '', { mode: 0o600 });
    writeFileSync(join(dir, 'outbox.jsonl'), '');
    chmodSync(join(dir, 'outbox.jsonl'), 0o644);
    const outside = join(scratch(), 'elsewhere');
    writeFileSync(outside, '');
    chmodSync(outside, 0o644);
    symlinkSync(outside, join(dir, 'link'));
    mkdirSync(join(dir, 'sub'), { mode: 0o755 });
    expect(tightenDataDir(dir)).toEqual([dir, join(dir, 'outbox.jsonl')]);
    expect([mode(dir), mode(join(dir, 'outbox.jsonl')), mode(outside)]).toEqual([0o700, 0o600, 0o644]);
    expect(tightenDataDir(dir)).toEqual([]);
  });
});

describe('secret files', () => {
  it('generates a 32-byte hex key once, 0600, and reads the same key back', () => {
    const dir = scratch();
    const first = readOrCreateSecretFile(dir, 'ack-link-secret', 'ACK_LINK_SECRET');
    expect(first).toMatchObject({ generated: true, file: join(dir, 'ack-link-secret') });
    expect(first.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(mode(first.file)).toBe(0o600);
    expect(readOrCreateSecretFile(dir, 'ack-link-secret', 'ACK_LINK_SECRET')).toEqual({
      ...first,
      generated: false,
    });
  });

  it.each([
    ['empty', '', 0],
    ['31 bytes', 'k'.repeat(31), 31],
    ['whitespace only', ' \n\t\n', 0],
  ])('refuses a key file that is %s, naming the file and the variable', (_case, content, bytes) => {
    const dir = scratch();
    writeFileSync(join(dir, 'jwt-secret'), content);
    const read = (): unknown => readOrCreateSecretFile(dir, 'jwt-secret', 'JWT_SECRET');
    expect(read).toThrow(WeakSecretError);
    expect(read).toThrow(
      `${join(dir, 'jwt-secret')} holds ${bytes} bytes of key, expected at least 32 bytes: set JWT_SECRET`,
    );
  });

  it('accepts a 32-byte key file', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'jwt-secret'), `${'k'.repeat(32)}\n`);
    expect(readOrCreateSecretFile(dir, 'jwt-secret', 'JWT_SECRET').secret).toBe('k'.repeat(32));
  });

  it('checks the key files at boot only where the variable is unset', () => {
    const dir = scratch();
    expect(() => checkSecretFiles({ DATA_DIR: dir })).not.toThrow(); // none yet: generated when first needed
    writeFileSync(join(dir, 'ack-link-secret'), '');
    expect(() => checkSecretFiles({ DATA_DIR: dir })).toThrow(
      `${join(dir, 'ack-link-secret')} holds 0 bytes`,
    );
    expect(() => checkSecretFiles({ DATA_DIR: dir, ACK_LINK_SECRET: 'a'.repeat(32) })).not.toThrow();
  });
});
