import { afterEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort, startApp, type AppProcess } from '../support/process.js';

/**
 * A forged acknowledgement link or SMS code stops the escalation of a critical
 * alarm; with an empty or short key anyone can compute one. The platform and
 * the notifier refuse to start on a key file under 32 bytes, naming the file,
 * as they refuse a short JWT_SECRET.
 */
const PLATFORM = 'dist/apps/platform/src/main.js';
const NOTIFIER = 'dist/apps/notifier/src/main.js';
const running: AppProcess[] = [];

afterEach(async () => {
  for (const app of running.splice(0))
    if (app.child.exitCode === null && app.child.signalCode === null) {
      app.child.kill('SIGKILL');
      await app.exited;
    }
});

/** A fresh DATA_DIR holding `file` with `content`. */
function dataDirWith(file: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'cc-sec-secret-'));
  writeFileSync(join(dir, file), content, { mode: 0o600 });
  return dir;
}

/** Starts `script` on `dataDir`: 'ready' once /health answers 200, or the exit code and output if it stops first. */
async function boot(
  script: string,
  dataDir: string,
): Promise<{ outcome: 'ready' } | { outcome: 'exited'; code: number | null; output: string }> {
  const [port, mqttPort] = [await freePort(), await freePort()];
  const app = startApp(script, {
    DATA_DIR: dataDir,
    PORT: String(port),
    MQTT_PORT: String(mqttPort),
    SIM_HUBS: '0',
    LOG_LEVEL: 'warn',
  });
  running.push(app);
  let exited: number | null | undefined;
  void app.exited.then((code) => (exited = code));
  const outcome = await eventually(
    async () => {
      if (exited !== undefined) return 'exited' as const;
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      return res.status === 200 ? ('ready' as const) : undefined;
    },
    60_000,
    `${script} ready or exited`,
  );
  if (outcome === 'ready') return { outcome };
  return { outcome, code: await app.exited, output: app.output() };
}

describe('boot refuses short secret files', () => {
  it.each([
    ['an empty', ''],
    ['a 31-byte', 'x'.repeat(31)],
    ['a whitespace-only', ' '.repeat(40) + '\n'],
  ])('the platform refuses %s ack-link-secret, naming the file', async (_case, content) => {
    const dir = dataDirWith('ack-link-secret', content);
    const result = await boot(PLATFORM, dir);
    expect(result.outcome).toBe('exited');
    if (result.outcome !== 'exited') return;
    expect(result.code).toBe(78); // EX_CONFIG, as for a bad variable
    expect(result.output).toContain(join(dir, 'ack-link-secret'));
    expect(result.output).toContain('expected at least 32 bytes');
    // Refused before any store opened: no demo tenant seeded without its credentials file.
    expect(existsSync(join(dir, 'metadata.db'))).toBe(false);
  });

  it('the notifier alone refuses an empty ack-link-secret', async () => {
    const dir = dataDirWith('ack-link-secret', '');
    const result = await boot(NOTIFIER, dir);
    expect(result).toMatchObject({ outcome: 'exited' });
    if (result.outcome === 'exited') {
      expect(result.code).not.toBe(0);
      expect(result.output).toContain(join(dir, 'ack-link-secret'));
    }
  });

  it('the platform refuses an empty jwt-secret, naming the file', async () => {
    const dir = dataDirWith('jwt-secret', '\n');
    const result = await boot(PLATFORM, dir);
    expect(result).toMatchObject({ outcome: 'exited' });
    if (result.outcome === 'exited') {
      expect(result.code).not.toBe(0);
      expect(result.output).toContain(join(dir, 'jwt-secret'));
      expect(result.output).toContain('expected at least 32 bytes');
    }
  });

  it('starts with a 32-byte ack-link-secret', async () => {
    const dir = dataDirWith('ack-link-secret', randomBytes(16).toString('hex'));
    expect(await boot(PLATFORM, dir)).toEqual({ outcome: 'ready' });
  });
});
