import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemoCredentials } from '../../apps/platform/src/demo-tenant.js';
import { eventually, freePort, seedDemoStore, startApp, type AppProcess } from '../support/process.js';

/**
 * The demo tenant (an owner with a known password, hubs with known secrets)
 * belongs to the embedded quick start. The separate apps of the production
 * stack never seed; the seed command (start:stack with SEED_DEMO=true) does,
 * and its demo owner must change the password at first login. No log
 * carries a password.
 */
const PLATFORM = 'dist/apps/platform/src/main.js';
const API = 'dist/apps/api/src/main.js';
const DEMO_OWNER = 'operator@demo.coldchain.local';
const running: AppProcess[] = [];

afterAll(async () => {
  for (const app of running)
    if (app.child.exitCode === null && app.child.signalCode === null) {
      app.child.kill('SIGKILL');
      await app.exited;
    }
});

async function boot(
  script: string,
  env: Record<string, string> = {},
  dataDir = mkdtempSync(join(tmpdir(), 'cc-sec-demo-')),
) {
  const [port, mqttPort] = [await freePort(), await freePort()];
  const http = `http://127.0.0.1:${port}`;
  const app = startApp(script, {
    DATA_DIR: dataDir,
    PORT: String(port),
    MQTT_PORT: String(mqttPort),
    SIM_HUBS: '0',
    LOG_LEVEL: 'log',
    ...env,
  });
  running.push(app);
  await eventually(
    async () => ((await fetch(`${http}/health`)).status === 200 ? true : undefined),
    60_000,
    `${script} healthy`,
  );
  return { app, http, dataDir };
}

const login = (http: string, email: string, password: string): Promise<Response> =>
  fetch(`${http}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });

const credsIn = (dataDir: string): DemoCredentials =>
  JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')) as DemoCredentials;

describe('demo seeding', () => {
  it('a separate app seeds no demo tenant, even with SEED_DEMO=true', async () => {
    const { app, http, dataDir } = await boot(API, { SEED_DEMO: 'true' });
    expect(existsSync(join(dataDir, 'demo-credentials.json'))).toBe(false);
    expect(app.output()).not.toMatch(/demo tenant seeded/);
    const res = await login(http, DEMO_OWNER, 'anything-at-all');
    expect(res.status).toBe(401);
  });

  it('seeded by the seed command: no password in either log, and the owner must change it at first login', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-sec-demo-'));
    const seedLog = await seedDemoStore({ DATA_DIR: dataDir, LOG_LEVEL: 'log' });
    const { app, http } = await boot(API, { PLATFORM_ADMIN_EMAIL: 'ops@example.com' }, dataDir);
    const { email, password } = credsIn(dataDir).users[0];
    expect(seedLog).toMatch(/demo tenant seeded/);
    expect(seedLog).not.toContain(password);
    expect(app.output()).not.toContain(password);
    // Nor the platform admin's temporary password (a guard: its bootstrap never logged it).
    const admin = JSON.parse(readFileSync(join(dataDir, 'platform-admin-credentials.json'), 'utf8')) as {
      temporaryPassword: string;
    };
    expect(app.output()).toMatch(/platform admin ops@example.com created/);
    expect(app.output()).not.toContain(admin.temporaryPassword);
    const res = await login(http, email, password);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { mustChangePassword: boolean }).mustChangePassword).toBe(true);
  });

  it("the embedded platform is the demo run: README's quick start logs in, and the log holds no password", async () => {
    const { app, http, dataDir } = await boot(PLATFORM);
    const { email, password } = credsIn(dataDir).users[0];
    expect(email).toBe(DEMO_OWNER);
    expect(app.output()).toContain('demo-credentials.json');
    expect(app.output()).not.toContain(password);
    const res = await login(http, email, password);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accessToken: string; mustChangePassword: boolean };
    expect(body.mustChangePassword).toBe(false);
    const latest = await fetch(`${http}/api/v1/readings/latest`, {
      headers: { authorization: `Bearer ${body.accessToken}` },
    });
    expect(latest.status).toBe(200);
  });
});
