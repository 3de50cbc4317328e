import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort, startApp, type AppProcess } from '../support/process.js';

/**
 * DATA_DIR holds password hashes, refresh-token hashes, hub secret HMACs, the
 * JWT and ack-link keys and the demo credentials: another local user must not
 * read any of it. The platform makes the folder 0700 and every file in it
 * 0600, including files an older version left readable.
 */
const PLATFORM = 'dist/apps/platform/src/main.js';
const root = mkdtempSync(join(tmpdir(), 'cc-sec-files-'));
const dataDir = join(root, 'var');
let app: AppProcess;
let http: string;

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

beforeAll(async () => {
  // An install from before: a readable folder and a readable outbox.
  mkdirSync(dataDir, { mode: 0o755 });
  chmodSync(dataDir, 0o755);
  writeFileSync(join(dataDir, 'outbox.jsonl'), '', { mode: 0o644 });
  chmodSync(join(dataDir, 'outbox.jsonl'), 0o644);
  const [port, mqttPort] = [await freePort(), await freePort()];
  http = `http://127.0.0.1:${port}`;
  app = startApp(PLATFORM, {
    DATA_DIR: dataDir,
    PORT: String(port),
    MQTT_PORT: String(mqttPort),
    SIM_HUBS: '1',
    SIM_INTERVAL_MS: '200',
  });
  await eventually(
    async () => ((await fetch(`${http}/health`)).status === 200 ? true : undefined),
    60_000,
    'platform healthy',
  );
  // Readings stored: the SQLite write-ahead logs exist.
  await eventually(
    async () => {
      const text = await (await fetch(`${http}/metrics`)).text();
      return Number(/^coldchain_readings_ingested_total (\d+)/m.exec(text)?.[1] ?? 0) > 0 ? true : undefined;
    },
    60_000,
    'a reading ingested',
  );
});

afterAll(async () => {
  if (app.child.exitCode === null) {
    app.child.kill('SIGKILL');
    await app.exited;
  }
});

describe('embedded platform data files', () => {
  it('makes DATA_DIR 0700', () => {
    expect(mode(dataDir)).toBe('700');
  });

  it('creates every store, key and credentials file 0600, the SQLite side files too', () => {
    const files = readdirSync(dataDir);
    for (const f of [
      'metadata.db',
      'telemetry.db',
      'bus-tables.db',
      'jwt-secret',
      'ack-link-secret',
      'report-signing-key',
      'demo-credentials.json',
    ])
      expect(files).toContain(f);
    expect(files.filter((f) => f.endsWith('-wal')).length).toBeGreaterThan(0);
    const modes = Object.fromEntries(files.map((f) => [f, mode(join(dataDir, f))]));
    expect(modes).toEqual(Object.fromEntries(files.map((f) => [f, '600'])));
  });

  it('tightened the outbox left 0644 by an older install, and said so in the log', () => {
    expect(mode(join(dataDir, 'outbox.jsonl'))).toBe('600');
    expect(app.output()).toMatch(/outbox\.jsonl/);
    expect(app.output()).toMatch(/0600/);
  });
});
