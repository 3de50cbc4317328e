import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import type { DemoCredentials } from '../../apps/platform/src/demo-tenant.js';
import { eventually, freePort, startApp, type AppProcess } from '../support/process.js';

const PLATFORM = 'dist/apps/platform/src/main.js';
const dataDir = mkdtempSync(join(tmpdir(), 'cc-e2e-'));
let env: Record<string, string>;
let app: AppProcess;
let http: string;
let creds: DemoCredentials;

let accessToken: string;
const auth = () => `Bearer ${accessToken}`;

/** POST /api/v1/auth/login as the demo user (or with `password`). */
const login = (password = creds.users[0].password): Promise<Response> =>
  fetch(`${http}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: creds.users[0].email, password }),
  });

async function healthy(): Promise<true | undefined> {
  const res = await fetch(`${http}/health`);
  return res.status === 200 ? true : undefined;
}

beforeAll(async () => {
  const [port, mqttPort] = [await freePort(), await freePort()];
  env = {
    DATA_DIR: dataDir,
    PORT: String(port),
    MQTT_PORT: String(mqttPort),
    SIM_HUBS: '1',
    SIM_INTERVAL_MS: '500',
  };
  http = `http://127.0.0.1:${port}`;
  app = startApp(PLATFORM, env);
  await eventually(healthy, 30_000, 'platform healthy');
  creds = JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
  accessToken = ((await (await login()).json()) as { accessToken: string }).accessToken;
});

afterAll(async () => {
  if (app.child.exitCode === null) {
    app.child.kill('SIGKILL');
    await app.exited;
  }
});

describe('embedded platform as a process', () => {
  const measuredAt = Date.UTC(2026, 10, 23, 3, 14, 15);

  it('writes machine-readable demo credentials: hubs, tags with profiles, users', () => {
    expect(creds.hubs.length).toBeGreaterThanOrEqual(3);
    expect(creds.tags[0]).toMatchObject({
      mac: expect.stringMatching(/^([0-9A-F]{2}:){5}[0-9A-F]{2}$/),
      profile: { temperature: { min: expect.any(Number), max: expect.any(Number) } },
    });
    expect(creds.users[0].email).toContain('@');
  });

  it('stores a reading a demo hub publishes over MQTT and serves it back through the HTTP API', async () => {
    const hub = creds.hubs[1]; // hub 0 belongs to the simulated fleet
    const tag = creds.tags.find((t) => t.hub === hub.imei)!;
    const client = await connectAsync(`mqtt://127.0.0.1:${env.MQTT_PORT}`, {
      clientId: `khub-${hub.imei}`,
      username: hub.imei,
      password: hub.secret,
      reconnectPeriod: 0,
    });
    const payload = {
      v: 1,
      hub: hub.imei,
      seq: 1,
      sentAt: new Date(measuredAt + 2000).toISOString(),
      readings: [
        {
          tag: tag.mac.toLowerCase().replace(/:/g, '-'),
          ts: measuredAt,
          temperature: 4.75,
          humidity: 58,
          door: 'closed',
          battery: 97,
        },
      ],
    };
    await client.publishAsync(`khub/${hub.imei}/telemetry`, JSON.stringify(payload), { qos: 1 });
    await client.endAsync();

    const res = await fetch(
      `${http}/api/v1/tags/${encodeURIComponent(tag.mac)}/readings?from=${measuredAt}&to=${measuredAt + 1}`,
      {
        headers: { authorization: auth() },
      },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { readings: unknown[] };
    expect(body.readings).toEqual([
      expect.objectContaining({
        tag: tag.mac,
        hub: hub.imei,
        ts: measuredAt,
        temperature: 4.75,
        humidity: 58,
        door: 'closed',
        battery: 97,
      }),
    ]);
  });

  it('refuses the API without credentials and with a wrong password', async () => {
    expect((await fetch(`${http}/api/v1/readings/latest`)).status).toBe(401);
    expect((await login('nope')).status).toBe(401);
    const forged = `Bearer ${accessToken.slice(0, -4)}AAAA`;
    expect(
      (await fetch(`${http}/api/v1/readings/latest`, { headers: { authorization: forged } })).status,
    ).toBe(401);
  });

  it('shows readings of the simulated fleet in /metrics and in the latest values', async () => {
    const fleetTags = new Set(creds.tags.filter((t) => t.hub === creds.hubs[0].imei).map((t) => t.mac));
    await eventually(
      async () => {
        const res = await fetch(`${http}/api/v1/readings/latest`, { headers: { authorization: auth() } });
        const { readings } = (await res.json()) as { readings: Array<{ tag: string }> };
        return readings.filter((r) => fleetTags.has(r.tag)).length === fleetTags.size ? true : undefined;
      },
      30_000,
      'every fleet tag has a reading',
    );
    const metrics = await (await fetch(`${http}/metrics`)).text();
    const ingested = Number(/^coldchain_readings_ingested_total (\d+)/m.exec(metrics)?.[1]);
    expect(ingested).toBeGreaterThan(fleetTags.size);
    expect(metrics).toMatch(/^coldchain_mqtt_connected_hubs 1$/m);
    expect(metrics).toContain('# TYPE coldchain_readings_rejected_total counter');
  });

  it('stops cleanly on SIGTERM and keeps every acknowledged reading across a restart', async () => {
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(app.output()).toContain('stopped cleanly');

    app = startApp(PLATFORM, { ...env, SIM_HUBS: '0' });
    await eventually(healthy, 30_000, 'platform healthy after restart');
    const again = JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
    expect(again).toEqual(creds); // seeded once, not again
    const tag = creds.tags.find((t) => t.hub === creds.hubs[1].imei)!;
    const res = await fetch(
      `${http}/api/v1/tags/${encodeURIComponent(tag.mac)}/readings?from=${measuredAt}&to=${measuredAt + 1}`,
      {
        headers: { authorization: auth() },
      },
    );
    expect(((await res.json()) as { readings: unknown[] }).readings).toHaveLength(1);
    app.child.kill('SIGINT');
    expect(await app.exited).toBe(0);
  });
});
