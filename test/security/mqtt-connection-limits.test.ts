import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type MqttClient } from 'mqtt';
import { freePort } from '../support/process.js';
import { startPlatform, type RunningPlatform } from '../support/platform.js';
import { makeTestPki } from '../support/test-pki.js';
import { closed, fixedHeader, hubClient, rawSocket } from './mqtt-support.js';

/**
 * Sockets per remote address are capped (MQTT_MAX_CONNECTIONS_PER_ADDRESS),
 * and a socket that does not complete its CONNECT within
 * MQTT_CONNECT_TIMEOUT_MS is closed, whether it sends nothing or trickles,
 * on the TLS listener too (where the TLS handshake comes first).
 */
const CAP = 3;
const CONNECT_TIMEOUT_MS = 1000;
let platform: RunningPlatform;
let port: number;
let tlsPort: number;
const clients: MqttClient[] = [];

beforeAll(async () => {
  // A self-signed certificate for the TLS listener (only its timing is under test here).
  const dir = mkdtempSync(join(tmpdir(), 'cc-sec-tls-'));
  const pki = makeTestPki(dir);
  tlsPort = await freePort();
  platform = await startPlatform({
    MQTT_MAX_CONNECTIONS_PER_ADDRESS: String(CAP),
    MQTT_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    MQTTS_PORT: String(tlsPort),
    MQTT_TLS_CERT: pki.cert,
    MQTT_TLS_KEY: pki.key,
  });
  port = Number(new URL(platform.mqttUrl).port);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await platform.close();
});

/** 'connected' on CONNACK 0, 'closed' when the broker closes the socket first. */
function attempt(clientId: string): Promise<{ result: 'connected' | 'closed'; client: MqttClient }> {
  const hub = platform.creds.hubs[0];
  const client = connect(platform.mqttUrl, {
    clientId,
    username: hub.imei,
    password: hub.secret,
    reconnectPeriod: 0,
  });
  clients.push(client);
  client.on('error', () => undefined);
  return new Promise((resolve) => {
    client.once('connect', () => resolve({ result: 'connected', client }));
    client.once('close', () => resolve({ result: 'closed', client }));
  });
}

describe('connections per address', () => {
  it('closes the connection over the cap from one address, keeps the others, and frees the slot on close', async () => {
    const imei = platform.creds.hubs[0].imei;
    const held = await Promise.all(
      Array.from({ length: CAP }, (_, i) =>
        hubClient(platform.mqttUrl, platform.creds.hubs[0], { clientId: `khub-${imei}-${i}` }),
      ),
    );
    clients.push(...held);
    expect((await attempt(`khub-${imei}-over`)).result).toBe('closed');
    expect(held.every((c) => c.connected)).toBe(true);

    await held[0].endAsync();
    // The server counts the slot free once it has seen the close: retry until then (bounded).
    let again = await attempt(`khub-${imei}-again`);
    for (let i = 0; i < 20 && again.result === 'closed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      again = await attempt(`khub-${imei}-again`);
    }
    expect(again.result).toBe('connected');
    await Promise.all([...held, again.client].map((c) => c.endAsync(true)));
  });
});

describe('sockets that do not CONNECT', () => {
  it(
    'closes a socket that sends nothing and one that trickles a CONNECT, after MQTT_CONNECT_TIMEOUT_MS',
    async () => {
      const silent = await rawSocket(port);
      const trickler = await rawSocket(port);
      trickler.on('error', () => undefined);
      // A CONNECT that claims 100 bytes, sent one byte every 100 ms: it never completes in time.
      const bytes = Buffer.concat([fixedHeader(1, 100), Buffer.alloc(100)]);
      let i = 0;
      const drip = setInterval(() => {
        if (!trickler.destroyed && i < bytes.length) trickler.write(bytes.subarray(i, ++i));
      }, 100);
      try {
        await Promise.all([closed(silent), closed(trickler)]);
      } finally {
        clearInterval(drip);
      }
      expect(i).toBeLessThan(bytes.length);
    },
    // Well above MQTT_CONNECT_TIMEOUT_MS, well below the 10 s the broker used before the key existed.
    8000,
  );

  it(
    'closes a socket on the TLS port that never starts its handshake',
    async () => {
      const silent = await rawSocket(tlsPort);
      silent.on('error', () => undefined);
      await closed(silent);
      expect(silent.destroyed).toBe(true);
    },
    // Node's own TLS handshake timeout is 120 s, and aedes' CONNECT timer starts after the handshake.
    8000,
  );
});
