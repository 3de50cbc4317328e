import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomInt } from 'node:crypto';
import mqtt from 'mqtt';
import { hubTopic, imeiFromBody, validateTelemetryV1, type TelemetryPayloadV1 } from '@coldchain/contract';
import { startFleet, startTestBroker, type FleetHubSpec, type TestBroker } from '@coldchain/firmware-sim';
import { ensureInfra } from '../../support/infra.js';

/**
 * The fleet (what `npm start` runs as its demo and what the benchmark drives)
 * works unchanged against the embedded kind of broker and against Mosquitto:
 * valid telemetry v1 from every hub, `online` then `offline` retained on the
 * status topic when it stops.
 */
const HUBS = 5;
const TAGS = 3;

function fleetSpec(): FleetHubSpec[] {
  const base = randomInt(10_000_000 - HUBS);
  return Array.from({ length: HUBS }, (_, i) => ({
    imei: imeiFromBody(`3569380${String(base + i).padStart(7, '0')}`),
    secret: `secret-${i}`,
    tags: Array.from({ length: TAGS }, (_, j) => ({
      mac: `02${(base + i).toString(16).padStart(6, '0')}00${j.toString(16).padStart(2, '0')}`,
      setpointC: 4,
    })),
  }));
}

async function runAgainst(
  url: string,
  hubs: FleetHubSpec[],
  witnessAuth?: { username: string; password: string },
) {
  const witness = await mqtt.connectAsync(url, {
    clientId: `witness-${randomInt(1e9)}`,
    reconnectPeriod: 0,
    ...witnessAuth,
  });
  const telemetry = new Map<string, TelemetryPayloadV1[]>();
  const status = new Map<string, string[]>();
  let onMessage = () => undefined as void;
  witness.on('message', (topic, payload) => {
    const imei = topic.split('/')[1];
    if (topic.endsWith('/telemetry'))
      telemetry.set(imei, [
        ...(telemetry.get(imei) ?? []),
        JSON.parse(payload.toString()) as TelemetryPayloadV1,
      ]);
    else status.set(imei, [...(status.get(imei) ?? []), payload.toString()]);
    onMessage();
  });
  await witness.subscribeAsync(
    hubs.flatMap((h) => [hubTopic(h.imei, 'telemetry'), hubTopic(h.imei, 'status')]),
    { qos: 1 },
  );
  const waitFor = (p: () => boolean) =>
    new Promise<void>((resolve) => {
      if (p()) return resolve();
      onMessage = () => {
        if (p()) resolve();
      };
    });
  const fleet = await startFleet({ brokerUrl: url, hubs, publishIntervalMs: 200, seed: 3, gps: true });
  await waitFor(() => hubs.every((h) => (telemetry.get(h.imei)?.length ?? 0) >= 3));
  await fleet.stop();
  await waitFor(() => hubs.every((h) => status.get(h.imei)?.at(-1) === 'offline'));
  await witness.endAsync();
  return { telemetry, status, stats: fleet.stats() };
}

function expectWorkingFleet(hubs: FleetHubSpec[], r: Awaited<ReturnType<typeof runAgainst>>) {
  for (const h of hubs) {
    const ps = r.telemetry.get(h.imei)!;
    for (const p of ps) expect(validateTelemetryV1(p, h.imei)).toMatchObject({ ok: true, rejected: [] });
    expect(r.status.get(h.imei)![0]).toBe('online');
    expect(r.status.get(h.imei)!.at(-1)).toBe('offline');
  }
  expect(r.stats).toMatchObject({ hubs: HUBS, online: 0, reconnects: 0, dropped: 0 });
  // PUBACKs still on their way when stop() ends the sessions are not counted: acked ≤ delivered.
  expect(r.stats.readingsAcked).toBeGreaterThan(0);
}

describe('the simulated fleet against both brokers', () => {
  describe('embedded kind (aedes with IMEI/secret authentication and per-hub ACL)', () => {
    let broker: TestBroker;
    const hubs = fleetSpec();
    beforeAll(async () => {
      broker = await startTestBroker({
        credentials: new Map([...hubs.map((h) => [h.imei, h.secret] as [string, string]), ['witness', 'w']]),
        record: false,
      });
    });
    afterAll(async () => broker.close());
    it('publishes valid telemetry from every hub and says offline when stopped', async () => {
      expectWorkingFleet(hubs, await runAgainst(broker.url, hubs, { username: 'witness', password: 'w' }));
    });
  });

  describe('Mosquitto (bash infra/up.sh mosquitto)', () => {
    let url: string;
    beforeAll(async () => {
      url = (await ensureInfra(['mosquitto'])).mqttExternalUrl;
    });
    it('publishes valid telemetry from every hub and says offline when stopped', async () => {
      const hubs = fleetSpec();
      expectWorkingFleet(hubs, await runAgainst(url, hubs));
    });
  });
});
