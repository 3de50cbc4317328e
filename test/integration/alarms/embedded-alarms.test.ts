import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { type BusPort, BUS } from '@coldchain/bus';
import { ALERTS_TOPIC } from '@coldchain/contract';
import type { AlertEvent } from '@coldchain/domain';
import { type MetadataCache, METADATA_CACHE } from '@coldchain/metadata-store';
import { TelemetryConsumer } from '@coldchain/ingestion';
import { startPlatform, type RunningPlatform } from '../../support/platform.js';
import { eventually } from '../../support/process.js';
import { repositoriesOf } from '../../support/metadata.js';

/**
 * The embedded default (in-process bus, SQLite) with the alarm engine on the
 * hot path: a profile saved with rules (a 5-min alarm delay, a 0.5 °C deadband)
 * applies to the next readings, and an MQTT hub's readings yield exactly the
 * alerts the rules call for, carrying the profile version that raised them.
 */
const MIN = 60_000;

describe('embedded platform: profile rules through MQTT, ingest and the alarm engine', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    platform = await startPlatform();
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
  });

  it('honours the alarm delay and the hysteresis: one raised, one cleared, with the saved profile version', async () => {
    const metadata = repositoriesOf(platform.app);
    const bus = platform.app.get<BusPort>(BUS);
    const { creds } = platform;
    const tag = creds.tags.find((t) => t.profile.temperature.max === 8)!; // the 2–8 °C demo profile
    const profile = (await metadata.database.snapshot()).profiles.find(
      (p) => p.tenantId === 'demo' && p.temperature.max === 8,
    )!;
    const saved = await metadata.profiles.saveProfile({
      id: profile.id,
      tenantId: profile.tenantId,
      name: profile.name,
      temperature: profile.temperature,
      rules: {
        temperature: { high: { warning: { bound: 8, delayMs: 5 * MIN }, hysteresis: 0.5 } },
      },
    });
    expect(saved.version).toBe(profile.version + 1);

    const alerts: AlertEvent[] = [];
    await bus.subscribe(ALERTS_TOPIC, { group: `embedded-alarms-${randomUUID()}` }, async (b) => {
      alerts.push(...b.values.filter((e) => e.tag === tag.mac));
    });

    // One reading per minute of the last hour (measured before received: a hub catching up).
    const t0 = Date.now() - 60 * MIN;
    const celsius = [
      ...Array<number>(5).fill(5), // minutes 0–4: in band
      ...Array<number>(3).fill(9), // 5–7: above 8 °C for 3 min, shorter than the delay: nothing
      ...Array<number>(2).fill(5), // 8–9
      ...Array<number>(11).fill(9), // 10–20: above for 11 min: raised (started at 10)
      ...Array<number>(3).fill(7.8), // 21–23: below 8 but inside the 0.5 °C deadband: still active
      ...Array<number>(7).fill(7), // 24–30: past the deadband: cleared at 24
      ...Array<number>(5).fill(5), // 31–35: moves the reorder window past the clear
    ];
    const readings = celsius.map((c, i) => ({ tag: tag.mac, ts: t0 + i * MIN, temperature: c }));
    // A profile edit applies to the next readings once the metadata cache serves it (refresh: 200 ms here).
    const cache = platform.app.get<MetadataCache>(METADATA_CACHE);
    await eventually(
      async () => (cache.profileForTag('demo', tag.mac)?.version === saved.version ? true : undefined),
      10_000,
      'profile edit in the cache',
    );
    const hub = creds.hubs.find((h) => h.imei === tag.hub)!;
    const client = await connectAsync(platform.mqttUrl, {
      clientId: `khub-${hub.imei}`,
      username: hub.imei,
      password: hub.secret,
    });
    try {
      for (let i = 0; i < readings.length; i += 9) {
        await client.publishAsync(
          `khub/${hub.imei}/telemetry`,
          JSON.stringify({
            v: 1,
            hub: hub.imei,
            seq: i,
            sentAt: Date.now(),
            readings: readings.slice(i, i + 9),
          }),
          { qos: 1 },
        );
      }
    } finally {
      await client.endAsync();
    }

    await eventually(
      async () => (alerts.some((e) => e.transition === 'cleared') ? true : undefined),
      30_000,
      'cleared',
    );
    expect(alerts.map((e) => `${e.rule} ${e.transition} ${e.severity}`)).toEqual([
      'temperature.high raised warning',
      'temperature.high cleared warning',
    ]);
    const [raised, cleared] = alerts;
    expect(raised).toMatchObject({
      tenantId: 'demo',
      hub: hub.imei,
      profileId: profile.id,
      profileVersion: saved.version,
      startedAt: t0 + 10 * MIN,
      bound: 8,
      late: true,
    });
    expect(cleared).toMatchObject({ startedAt: t0 + 10 * MIN, endedAt: t0 + 24 * MIN });
    expect(new Set(alerts.map((e) => e.key)).size).toBe(2);
  });
});

describe('embedded platform: alarm state across a restart', () => {
  it('clears after a restart the alarm raised before it, without raising it again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-alarm-restart-'));
    const t0 = Date.now() - 60 * MIN;
    const alerts: AlertEvent[] = [];
    let mac = '';
    const send = async (platform: RunningPlatform, fromMinute: number, celsius: number[]) => {
      const tag = platform.creds.tags.find((t) => t.profile.temperature.max === 8)!;
      mac = tag.mac;
      const hub = platform.creds.hubs.find((h) => h.imei === tag.hub)!;
      const client = await connectAsync(platform.mqttUrl, {
        clientId: `khub-${hub.imei}`,
        username: hub.imei,
        password: hub.secret,
      });
      try {
        await client.publishAsync(
          `khub/${hub.imei}/telemetry`,
          JSON.stringify({
            v: 1,
            hub: hub.imei,
            seq: fromMinute,
            sentAt: Date.now(),
            readings: celsius.map((c, i) => ({
              tag: tag.mac,
              ts: t0 + (fromMinute + i) * MIN,
              temperature: c,
            })),
          }),
          { qos: 1 },
        );
      } finally {
        await client.endAsync();
      }
    };
    const collect = async (platform: RunningPlatform) =>
      platform.app
        .get<BusPort>(BUS)
        .subscribe(ALERTS_TOPIC, { group: `restart-${randomUUID()}` }, async (b) => {
          alerts.push(...b.values.filter((e) => e.tag === mac));
        });

    // Before the restart: the demo profile (no rules: critical above 8 °C, no delay) raises.
    const before = await startPlatform({ DATA_DIR: dataDir });
    try {
      await collect(before);
      await send(before, 0, [5, 5, 10, 10, 10, 10, 10]);
      await eventually(async () => (alerts.length > 0 ? true : undefined), 30_000, 'raised');
    } finally {
      await before.close();
    }
    // After: the same DATA_DIR; the alarm state comes back from DATA_DIR/bus-tables.db.
    const after = await startPlatform({ DATA_DIR: dataDir });
    try {
      await collect(after);
      await send(after, 7, [10, 10, 5, 5, 5, 5, 5, 5]);
      await eventually(
        async () => (alerts.some((e) => e.transition === 'cleared') ? true : undefined),
        30_000,
        'cleared',
      );
    } finally {
      await after.close();
    }
    expect(alerts.map((e) => `${e.rule} ${e.transition}`)).toEqual([
      'temperature.high raised',
      'temperature.high cleared',
    ]);
    expect(alerts[1]).toMatchObject({ startedAt: t0 + 2 * MIN, endedAt: t0 + 9 * MIN });
    expect(alerts[1].startedAt).toBe(alerts[0].startedAt);
  });
});

describe('embedded platform: trip-scoped rules', () => {
  it('raises a trip-only rule during the trip and clears it when the trip ends', async () => {
    const platform = await startPlatform();
    try {
      const metadata = repositoriesOf(platform.app);
      const tag = platform.creds.tags.find((t) => t.profile.temperature.max === 8)!;
      const hub = platform.creds.hubs.find((h) => h.imei === tag.hub)!;
      const profile = (await metadata.database.snapshot()).profiles.find(
        (p) => p.tenantId === 'demo' && p.temperature.max === 8,
      )!;
      await metadata.profiles.saveProfile({
        id: profile.id,
        tenantId: profile.tenantId,
        name: profile.name,
        temperature: profile.temperature,
        rules: { temperature: { high: { warning: { bound: 8 }, tripOnly: true } } },
      });
      const t0 = Date.now() - 60 * MIN;
      await metadata.trips.createTrip({
        id: `trip-${randomUUID()}`,
        tenantId: 'demo',
        name: 'LIS-MAD',
        tags: [tag.mac],
        hubs: [hub.imei],
        startedAt: t0 + 10 * MIN,
        endedAt: t0 + 20 * MIN,
        createdAt: t0,
      });
      // Ingest's trip lookup and profile cache follow the store (every 200 ms here); do not wait for it.
      await platform.app.get(TelemetryConsumer).trips.refresh();
      const cache = platform.app.get<MetadataCache>(METADATA_CACHE);
      await cache.refresh();

      const alerts: AlertEvent[] = [];
      await platform.app
        .get<BusPort>(BUS)
        .subscribe(ALERTS_TOPIC, { group: `trip-${randomUUID()}` }, async (b) => {
          alerts.push(...b.values.filter((e) => e.tag === tag.mac));
        });
      const client = await connectAsync(platform.mqttUrl, {
        clientId: `khub-${hub.imei}`,
        username: hub.imei,
        password: hub.secret,
      });
      try {
        // Above 8 °C for 30 min: before, during and after the trip.
        await client.publishAsync(
          `khub/${hub.imei}/telemetry`,
          JSON.stringify({
            v: 1,
            hub: hub.imei,
            seq: 1,
            sentAt: Date.now(),
            readings: Array.from({ length: 30 }, (_, i) => ({
              tag: tag.mac,
              ts: t0 + i * MIN,
              temperature: 10,
            })),
          }),
          { qos: 1 },
        );
      } finally {
        await client.endAsync();
      }
      await eventually(
        async () => (alerts.some((e) => e.transition === 'cleared') ? true : undefined),
        30_000,
        'cleared',
      );
      expect(alerts.map((e) => `${e.rule} ${e.transition}`)).toEqual([
        'temperature.high raised',
        'temperature.high cleared',
      ]);
      expect(alerts[0].startedAt).toBe(t0 + 10 * MIN);
      expect(alerts[1]).toMatchObject({ reason: 'trip_ended' });
    } finally {
      await platform.close();
    }
  });
});
