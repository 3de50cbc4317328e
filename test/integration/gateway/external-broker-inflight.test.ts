import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { connectAsync } from 'mqtt';
import { InProcessBus, type BusPort } from '@coldchain/bus';
import type { ColdchainConfig } from '@coldchain/config';
import { TELEMETRY_TOPIC, imeiFromBody } from '@coldchain/contract';
import { systemClock, type TelemetryRecord } from '@coldchain/domain';
import { ExternalBrokerService } from '@coldchain/edge';
import type { HubRecord, MetadataCache } from '@coldchain/metadata-store';
import { ColdchainMetrics, HealthRegistry } from '@coldchain/observability';
import { ensureInfra, type Endpoints } from '../../support/infra.js';
import { eventually } from '../../support/process.js';

// External-broker mode against the real Mosquitto: while the bus is slow, one gateway connection
// holds several messages between arrival and PUBACK, every message reaches the bus once, and each
// hub's messages reach it in the order the hub published them.

let endpoints: Endpoints;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  endpoints = await ensureInfra(['mosquitto']);
}, 600_000);

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const TENANT = 'tenant-it';
const hubs = Array.from({ length: 10 }, (_, i) => imeiFromBody(`35693803${String(700000 + i)}`));
const tagOf = (hub: number): string => `AA:BB:CC:00:01:${hub.toString(16).padStart(2, '0').toUpperCase()}`;

function directory(): MetadataCache {
  const byImei = new Map<string, HubRecord>(
    hubs.map((imei) => [imei, { imei, tenantId: TENANT, name: imei, secretHash: '' }]),
  );
  return {
    hub: (imei: string) => byImei.get(imei),
    tag: (tenantId: string) => (tenantId === TENANT ? { tenantId } : undefined),
    authenticateHub: () => undefined,
  } as unknown as MetadataCache;
}

/**
 * An in-process bus whose every publish takes `delayMs` more (a slow bus round trip), counting the
 * publishes under way at once: with one connection, the messages the gateway holds unacknowledged.
 */
function slowBus(inner: InProcessBus, delayMs: number): { bus: BusPort; peak: () => number } {
  let underWay = 0;
  let peak = 0;
  const bus = Object.assign(Object.create(inner) as BusPort, {
    publish: async (...args: Parameters<BusPort['publish']>) => {
      peak = Math.max(peak, ++underWay);
      try {
        await new Promise((r) => setTimeout(r, delayMs));
        return await inner.publish(...args);
      } finally {
        underWay--;
      }
    },
  });
  return { bus, peak: () => peak };
}

describe('external broker: several messages in flight per connection', () => {
  it('stores every message published at QoS 1 through a slow bus, once, in order per hub, with more than one in flight', async () => {
    const inner = new InProcessBus({ warn: () => undefined });
    const received: TelemetryRecord[] = [];
    const sub = await inner.subscribe(TELEMETRY_TOPIC, { group: 'store' }, async ({ values }) => {
      received.push(...values);
    });
    closers.push(async () => void (await inner.close()));
    closers.push(() => sub.close());
    const group = `it-inflight-${randomUUID().slice(0, 8)}`;
    const config = {
      MQTT_EXTERNAL_URL: endpoints.mqttExternalUrl,
      MQTT_SHARE_GROUP: group,
      MQTT_EXTERNAL_CONNECTIONS: 1,
    } as ColdchainConfig;
    const slow = slowBus(inner, 20);
    const gateway = new ExternalBrokerService(
      config,
      slow.bus,
      directory(),
      new ColdchainMetrics({ defaultMetrics: false }),
      systemClock,
      new HealthRegistry(),
    );
    await gateway.onModuleInit();
    closers.push(() => gateway.onModuleDestroy());

    const publisher = await connectAsync(endpoints.mqttExternalUrl, { clientId: `it-pub-${randomUUID()}` });
    closers.push(() => publisher.endAsync());
    const perHub = 20;
    const sentAt = Date.now();
    await Promise.all(
      hubs.map(async (imei, h) => {
        for (let seq = 0; seq < perHub; seq++)
          await publisher.publishAsync(
            `khub/${imei}/telemetry`,
            JSON.stringify({
              v: 1,
              hub: imei,
              seq,
              sentAt,
              readings: [{ tag: tagOf(h), ts: sentAt - 1000 + seq, temperature: 4 }],
            }),
            { qos: 1 },
          );
      }),
    );
    await eventually(
      async () => (received.length >= hubs.length * perHub ? true : undefined),
      60_000,
      `${hubs.length * perHub} records on the bus`,
    );
    expect(received).toHaveLength(hubs.length * perHub);
    for (const imei of hubs)
      expect(received.filter((r) => r.hub === imei).map((r) => r.hubSeq)).toEqual(
        Array.from({ length: perHub }, (_, i) => i),
      );
    // Observed at the bus: publishes of one connection under way at once (each message is one publish).
    expect(slow.peak()).toBeGreaterThan(1);
    expect(slow.peak()).toBeLessThanOrEqual(64);
  }, 90_000);
});
