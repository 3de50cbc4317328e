import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemoStore } from '../support/process.js';

/** The built command behind `npm run backup` and `npm run restore` (package.json passes the command first). */
const BACKUP_SCRIPT = 'dist/apps/backup/src/main.js';

/** Runs the command with `env` and `args` to its exit; its stdout and stderr together. */
function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BACKUP_SCRIPT, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => resolve({ code: code ?? -1, output }));
  });
}

/**
 * `npm run backup` / `restore` as an operator runs them, on the embedded
 * store the demo seed command writes: a backup, the plan's list, verify,
 * restore into an empty DATA_DIR with the key copied aside, and the
 * refusals with their messages and exit codes.
 */
describe('backup and restore commands (built, embedded store)', () => {
  it('backs up, lists, verifies and restores; refuses a changed byte, a full target, no key, a bad option', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-e2e-backup-data-'));
    const backupDir = mkdtempSync(join(tmpdir(), 'cc-e2e-backups-'));
    const env = { DATA_DIR: dataDir, BACKUP_DIR: backupDir, LOG_LEVEL: 'error' };
    await seedDemoStore(env);

    const backup = await cli(env, 'backup');
    expect(backup).toMatchObject({ code: 0 });
    const [archive] = readdirSync(backupDir);
    expect(archive).toMatch(/^coldchain-\d{8}T\d{9}Z-embedded\.ccbk$/);
    expect(backup.output).toContain(archive);
    expect(existsSync(join(dataDir, 'backup-key'))).toBe(true); // the quick start's generated key

    const list = await cli(env, 'backup', '--list');
    expect(list.code).toBe(0);
    expect(list.output).toMatch(new RegExp(`${archive}\\s+sixHourly,daily,weekly,monthly`));

    const verify = await cli(env, 'backup', '--verify', join(backupDir, archive));
    expect(verify.code).toBe(0);
    expect(verify.output).toMatch(/sqlite\/metadata\.db/);

    const corrupt = join(backupDir, 'corrupt.bin');
    const bytes = readFileSync(join(backupDir, archive));
    bytes[bytes.length - 40] ^= 0x01;
    writeFileSync(corrupt, bytes);
    const refused = await cli(env, 'backup', '--verify', corrupt);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/archive was altered/);

    // Restore into an empty DATA_DIR, the key kept aside by the operator.
    const keyFile = join(mkdtempSync(join(tmpdir(), 'cc-e2e-key-')), 'backup-key');
    writeFileSync(keyFile, readFileSync(join(dataDir, 'backup-key')));
    const target = {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'cc-e2e-restored-')),
      BACKUP_KEY_FILE: keyFile,
      LOG_LEVEL: 'error',
    };
    const restored = await cli(target, 'restore', join(backupDir, archive));
    expect(restored.code).toBe(0);
    expect(readFileSync(join(target.DATA_DIR, 'demo-credentials.json'), 'utf8')).toBe(
      readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8'),
    );
    const again = await cli(target, 'restore', join(backupDir, archive));
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/restore target not empty \(files, sqlite\).*--force/);

    const noKey = await cli(
      { ...env, METADATA_STORE: 'postgres', DATABASE_URL: 'postgres://u:p@127.0.0.1:1/none' },
      'backup',
    );
    expect(noKey.code).toBe(1);
    expect(noKey.output).toMatch(/needs BACKUP_KEY or BACKUP_KEY_FILE/);

    const usage = await cli(env, 'restore', join(backupDir, archive), '--everything');
    expect(usage.code).toBe(2);
    expect(usage.output).toMatch(/unknown option --everything/);
  });
});
