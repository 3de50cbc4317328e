import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { type TelemetryStorePort, TELEMETRY_STORE } from '@coldchain/telemetry-store';
import { startPlatform, type RunningPlatform } from '../../support/platform.js';
import { eventually, freePort } from '../../support/process.js';
import { makeTestPki } from '../../support/test-pki.js';

/**
 * The embedded gateway's TLS listener (MQTTS_PORT, MQTT_TLS_CERT, MQTT_TLS_KEY):
 * a throw-away CA and a server certificate for 127.0.0.1 signed by it,
 * made with the `openssl` CLI at test time. A hub that trusts the CA
 * publishes over mqtts and its reading is stored; a client that does not
 * trust it (system roots only, or another CA) is refused at the handshake.
 */
const T = Date.UTC(2026, 10, 24, 5, 0, 0);
let dir: string;
let caCert: Buffer;
let otherCa: Buffer;
let platform: RunningPlatform;
let mqttsUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cc-mqtts-'));
  const pki = makeTestPki(dir);
  caCert = readFileSync(pki.ca);
  otherCa = readFileSync(pki.otherCa);
  const port = await freePort();
  platform = await startPlatform({
    MQTTS_PORT: String(port),
    MQTT_TLS_CERT: pki.cert,
    MQTT_TLS_KEY: pki.key,
  });
  mqttsUrl = `mqtts://127.0.0.1:${port}`;
}, 120_000);

afterAll(async () => {
  await platform?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('embedded gateway: MQTT over TLS', () => {
  it('stores a reading a hub publishes over mqtts when it trusts the gateway’s CA', async () => {
    const hub = platform.creds.hubs[0];
    const tag = platform.creds.tags.find((t) => t.hub === hub.imei)!.mac;
    const client = await connectAsync(mqttsUrl, {
      clientId: `khub-${hub.imei}`,
      username: hub.imei,
      password: hub.secret,
      ca: caCert,
      reconnectPeriod: 0,
    });
    await client.publishAsync(
      `khub/${hub.imei}/telemetry`,
      JSON.stringify({
        v: 1,
        hub: hub.imei,
        seq: 1,
        sentAt: T,
        readings: [{ tag, ts: T, temperature: 5.5 }],
      }),
      { qos: 1 },
    );
    await client.endAsync();
    const store = platform.app.get<TelemetryStorePort>(TELEMETRY_STORE);
    const rows = await eventually(
      async () => {
        const r = await store.readings({ tenantId: 'demo', tag, from: T, to: T + 1, limit: 10 });
        return r.length === 1 ? r : undefined;
      },
      30_000,
      'reading sent over mqtts stored',
    );
    expect(rows[0]).toMatchObject({ tag, ts: T, temperature: 5.5 });
  });

  it.each([
    ['only the system roots', undefined],
    ['another CA', 'other'],
  ])('refuses the handshake of a client that trusts %s', async (_why, ca) => {
    const hub = platform.creds.hubs[1];
    const err = await connectAsync(mqttsUrl, {
      clientId: `khub-${hub.imei}`,
      username: hub.imei,
      password: hub.secret,
      ca: ca === 'other' ? otherCa : undefined,
      reconnectPeriod: 0,
      connectTimeout: 5_000,
    }).then(
      async (c) => {
        await c.endAsync();
        return undefined;
      },
      (e: unknown) => e as Error & { code?: string },
    );
    // Node's verification error for a leaf signed by a CA the client does not know
    // (an Error from another realm under jest: matched on its code).
    expect(err?.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });
});
