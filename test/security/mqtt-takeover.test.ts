import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MqttClient } from 'mqtt';
import { type TelemetryStorePort, TELEMETRY_STORE } from '@coldchain/telemetry-store';
import { startPlatform, type RunningPlatform } from '../support/platform.js';
import { hubClient, seedHubInNewTenant, telemetry } from './mqtt-support.js';

/**
 * Session takeover: the broker closes the older session of a client id that
 * connects again (MQTT-3.1.4-2), so a hub that could CONNECT with another
 * hub's client id `khub-<imei>` would disconnect it, across tenants. The
 * client id must be the authenticated hub's own.
 */
let platform: RunningPlatform;
let store: TelemetryStorePort;
const clients: MqttClient[] = [];
const T = Date.UTC(2026, 10, 23, 8, 0, 0);

beforeAll(async () => {
  platform = await startPlatform();
  store = platform.app.get(TELEMETRY_STORE);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await platform.close();
});

describe("a hub connecting with another tenant's hub client id", () => {
  it('is refused with CONNACK 2 (identifier rejected) and the victim keeps its session and its readings', async () => {
    const victim = platform.creds.hubs[0]; // tenant demo
    const tag = platform.creds.tags.find((t) => t.hub === victim.imei)!.mac;
    const intruder = await seedHubInNewTenant(platform); // another tenant

    const a = await hubClient(platform.mqttUrl, victim, { clean: false });
    clients.push(a);
    let victimClosed = 0;
    a.on('close', () => victimClosed++);
    await a.publishAsync(`khub/${victim.imei}/telemetry`, telemetry(victim.imei, tag, T, 1), { qos: 1 });

    // The intruder's own credentials, the victim's client id (and a suffixed variant of it).
    for (const clientId of [`khub-${victim.imei}`, `khub-${victim.imei}-x`]) {
      const refusal = await hubClient(platform.mqttUrl, intruder, { clientId, clean: false }).then(
        (c) => {
          clients.push(c);
          return 'connected';
        },
        (err: { code?: number }) => err.code,
      );
      expect(refusal).toBe(2);
    }

    // The victim's session was never closed: it still publishes and gets PUBACK on the same connection.
    await a.publishAsync(`khub/${victim.imei}/telemetry`, telemetry(victim.imei, tag, T + 1000, 2), {
      qos: 1,
    });
    expect(victimClosed).toBe(0);
    expect(a.connected).toBe(true);
    const stored = await store.readings({ tenantId: 'demo', tag, from: T, to: T + 1001, limit: 5 });
    expect(stored.map((r) => r.ts)).toEqual([T, T + 1000]);

    // The intruder's own session, with its own client id, still works.
    const own = await hubClient(platform.mqttUrl, intruder);
    clients.push(own);
    expect(own.connected).toBe(true);
  });
});
