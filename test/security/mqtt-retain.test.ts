import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MqttClient } from 'mqtt';
import { MqttBrokerService } from '@coldchain/edge';
import { startPlatform, type RunningPlatform } from '../support/platform.js';
import { hubClient, telemetry } from './mqtt-support.js';

/**
 * Retained messages stay in the broker's memory until replaced. Hubs may
 * retain only their status, `online` or `offline` (docs/telemetry-contract.md);
 * any other retained publish closes the connection without PUBACK and is not
 * kept. QoS 2 (stored until PUBREL) is not part of the contract either.
 */
let platform: RunningPlatform;
let broker: MqttBrokerService;
const clients: MqttClient[] = [];
const T = Date.UTC(2026, 10, 23, 10, 0, 0);

beforeAll(async () => {
  platform = await startPlatform();
  broker = platform.app.get(MqttBrokerService);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await platform.close();
});

async function session(i: number, options: Parameters<typeof hubClient>[2] = {}): Promise<MqttClient> {
  const c = await hubClient(platform.mqttUrl, platform.creds.hubs[i], options);
  clients.push(c);
  return c;
}

/** 'acked' on PUBACK, 'closed' when the broker drops the connection instead. */
function outcome(
  client: MqttClient,
  topic: string,
  payload: string | Buffer,
  opts: { qos: 0 | 1 | 2; retain: boolean },
): Promise<'acked' | 'closed'> {
  return Promise.race([
    client.publishAsync(topic, payload, opts).then(
      () => 'acked' as const,
      () => 'closed' as const,
    ),
    new Promise<'closed'>((resolve) => client.once('close', () => resolve('closed'))),
  ]);
}

const retainedPayloads = async (topic: string) =>
  (await broker.retained(topic)).map((m) => m.payload.toString());

/**
 * The retained payloads of `topic` once they equal `expected` (or as they are after 5 s):
 * aedes writes the QoS 1 PUBACK before it stores the retained message.
 */
async function retainedOnce(topic: string, expected: string[]): Promise<string[]> {
  const deadline = Date.now() + 5000;
  let seen = await retainedPayloads(topic);
  while (JSON.stringify(seen) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    seen = await retainedPayloads(topic);
  }
  return seen;
}

describe('retained messages from hubs', () => {
  it('keeps the retained status online/offline, including the last will', async () => {
    const imei = platform.creds.hubs[0].imei;
    const status = `khub/${imei}/status`;
    const hub = await session(0, {
      will: { topic: status, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    expect(await outcome(hub, status, 'online', { qos: 1, retain: true })).toBe('acked');
    expect(await retainedOnce(status, ['online'])).toEqual(['online']);
    // An unclean end publishes the will, which the broker retains.
    const gone = new Promise<void>((resolve) => hub.once('close', () => resolve()));
    hub.stream.destroy();
    await gone;
    expect(await retainedOnce(status, ['offline'])).toEqual(['offline']);
  });

  it('refuses and does not keep a large retained status, and keeps the previous one', async () => {
    const imei = platform.creds.hubs[1].imei;
    const status = `khub/${imei}/status`;
    const hub = await session(1);
    expect(await outcome(hub, status, 'online', { qos: 1, retain: true })).toBe('acked');
    expect(await retainedOnce(status, ['online'])).toEqual(['online']);
    const big = Buffer.alloc(200 * 1024, 0x41); // under the packet limit, so the retain rule decides
    expect(await outcome(hub, status, big, { qos: 1, retain: true })).toBe('closed');
    expect(await retainedPayloads(status)).toEqual(['online']);
  });

  it('refuses and does not keep retained telemetry', async () => {
    const { imei } = platform.creds.hubs[2];
    const tag = platform.creds.tags.find((t) => t.hub === imei)!.mac;
    const hub = await session(2);
    const topic = `khub/${imei}/telemetry`;
    expect(await outcome(hub, topic, telemetry(imei, tag, T, 1), { qos: 1, retain: true })).toBe('closed');
    expect(await broker.retained(topic)).toEqual([]);
    // The same hub's next session, within the contract, works.
    const again = await session(2);
    expect(await outcome(again, topic, telemetry(imei, tag, T + 1, 2), { qos: 1, retain: false })).toBe(
      'acked',
    );
  });

  it('refuses QoS 2, whose messages the broker would store until PUBREL', async () => {
    const { imei } = platform.creds.hubs[2];
    const tag = platform.creds.tags.find((t) => t.hub === imei)!.mac;
    const hub = await session(2, { clientId: `khub-${imei}-qos2` });
    expect(
      await outcome(hub, `khub/${imei}/telemetry`, telemetry(imei, tag, T + 2, 3), { qos: 2, retain: false }),
    ).toBe('closed');
  });
});
