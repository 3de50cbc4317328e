import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StoredReading } from '@coldchain/domain';
import { EngineUnavailableError, isRetriable } from '@coldchain/errors';
import {
  InfluxTelemetryStore,
  SqliteTelemetryStore,
  type InfluxTelemetryStoreOptions,
  type StoredPosition,
} from '@coldchain/telemetry-store';
import { telemetryStoreContract } from '../../contracts/telemetry-store.contract.js';
import {
  ensureInfra,
  startEngine,
  stopEngine,
  type Endpoints,
  type InfraOptions,
} from '../../support/infra.js';
import { freePorts, influxQl, settledWithin } from './influx-test-helpers.js';

/**
 * The InfluxDB adapter against the real engine that infra/up.sh runs
 * (InfluxDB 1.13, which serves the v2 write path itself). Each run writes to its own
 * measurements, so runs never see each other's points.
 */

const RUN_ID = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const MEASUREMENT = `readings_it_${RUN_ID}`;
const POSITIONS_MEASUREMENT = `positions_it_${RUN_ID}`;
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);
const HUB = '490154203237518';

let endpoints: Endpoints;

function storeOptions(
  e: Endpoints,
  extra: Partial<InfluxTelemetryStoreOptions> = {},
): InfluxTelemetryStoreOptions {
  return {
    url: e.influxUrl,
    token: e.influxToken,
    org: e.influxOrg,
    bucket: e.influxBucket,
    positionsBucket: e.influxPositionsBucket,
    measurement: MEASUREMENT,
    positionsMeasurement: POSITIONS_MEASUREMENT,
    ...extra,
  };
}

function reading(
  tenantId: string,
  tag: string,
  i: number,
  extra: Partial<StoredReading> = {},
): StoredReading {
  return {
    tenantId,
    tag,
    hub: HUB,
    ts: T0 + i * 1_000,
    seq: i % 65_536,
    temperature: 2 + (i % 60) / 10,
    receivedAt: T0 + i * 1_000 + 250,
    ...extra,
  };
}

/** Readings of a tenant as InfluxDB counts them (COUNT of the field every reading has). */
async function countReadings(e: Endpoints, tenantId: string): Promise<number> {
  const rows = await influxQl(
    e,
    `SELECT COUNT("received_at") FROM "autogen"."${MEASUREMENT}" WHERE "tenant" = $tenant`,
    { tenant: tenantId },
  );
  return rows.length === 0 ? 0 : Number(rows[0][1]);
}

beforeAll(async () => {
  endpoints = await ensureInfra(['influxdb']);
}, 600_000);

// This run's series leave the shared development database with it.
afterAll(async () => {
  await influxQl(endpoints, `DROP MEASUREMENT "${MEASUREMENT}"`);
  await influxQl(endpoints, `DROP MEASUREMENT "${POSITIONS_MEASUREMENT}"`);
}, 60_000);

telemetryStoreContract('influxdb', async () => new InfluxTelemetryStore(storeOptions(endpoints)));

describe('InfluxTelemetryStore on InfluxDB 1.13 (shared instance)', () => {
  let store: InfluxTelemetryStore;

  beforeAll(async () => {
    store = new InfluxTelemetryStore(storeOptions(endpoints));
    await store.start();
  });
  afterAll(async () => {
    await store.close();
  });

  it('is healthy after start (it pinged InfluxDB and found both retention policies)', () => {
    expect(store.isHealthy()).toBe(true);
  });

  it('returns exactly what the SQLite adapter returns for the same readings (fields present and absent alike)', async () => {
    const tenant = `t-${randomUUID()}`;
    const tag = 'AC:23:3F:00:10:01';
    const batch: StoredReading[] = [
      reading(tenant, tag, 0, {
        humidity: 41.5,
        co2: 612,
        door: 'open',
        battery: 88,
        rssi: -71,
        profileId: 'p-1',
      }),
      reading(tenant, tag, 1, { seq: undefined, temperature: -18.25, door: 'closed' }),
      { tenantId: tenant, tag, hub: HUB, ts: T0 + 2_000, receivedAt: T0 + 2_100, rssi: -90 },
      reading(tenant, 'AC:23:3F:00:10:02', 3, { temperature: 7 }),
    ];
    const sqlite = new SqliteTelemetryStore(':memory:');
    await sqlite.start();
    try {
      await sqlite.write(batch, []);
      await store.write(batch, []);
      const query = { tenantId: tenant, tag, from: T0, to: T0 + 60_000, limit: 10 };
      const fromInflux = await store.readings(query);
      expect(fromInflux).toStrictEqual(await sqlite.readings(query));
      expect(fromInflux).toHaveLength(3);
      expect(await store.latest(tenant)).toStrictEqual(await sqlite.latest(tenant));
    } finally {
      await sqlite.close();
    }
  });

  it('pages latest readings as the SQLite adapter does, also when a page takes several queries', async () => {
    const tenant = `t-${randomUUID()}`;
    const batch = Array.from({ length: 7 }, (_, i) => reading(tenant, `AC:23:3F:00:50:0${6 - i}`, i));
    const sqlite = new SqliteTelemetryStore(':memory:');
    const small = new InfluxTelemetryStore(storeOptions(endpoints, { maxTagsPerLatestQuery: 2 }));
    await Promise.all([sqlite.start(), small.start()]);
    try {
      await sqlite.write(batch, []);
      await small.write(batch, []);
      for (const page of [
        { limit: 5 },
        { after: 'AC:23:3F:00:50:01', limit: 3 },
        { after: 'AC:23:3F:00:50:04' },
      ])
        expect(await small.latest(tenant, page)).toStrictEqual(await sqlite.latest(tenant, page));
      expect((await small.latest(tenant, { limit: 5 })).map((r) => r.tag)).toEqual(
        [0, 1, 2, 3, 4].map((i) => `AC:23:3F:00:50:0${i}`),
      );
    } finally {
      await Promise.all([sqlite.close(), small.close()]);
    }
  });

  it('treats request values as values: an injection attempt in a tag or tenant matches nothing, and such a tag is stored verbatim', async () => {
    const tenant = `t-${randomUUID()}`;
    const hostileTag = `x' OR 1=1 --`;
    await store.write([reading(tenant, 'AC:23:3F:00:20:01', 0)], []);
    const window = { from: T0, to: T0 + 60_000, limit: 10 };

    expect(await store.readings({ tenantId: tenant, tag: hostileTag, ...window })).toEqual([]);
    expect(
      await store.readings({
        tenantId: `${tenant}' OR "tenant" =~ /.*/ --`,
        tag: 'AC:23:3F:00:20:01',
        ...window,
      }),
    ).toEqual([]);
    expect(await store.latest(`" OR 1=1 --`)).toEqual([]);

    await store.write([reading(tenant, hostileTag, 1)], []);
    const got = await store.readings({ tenantId: tenant, tag: hostileTag, ...window });
    expect(got.map((r) => r.tag)).toEqual([hostileTag]);
    expect((await store.latest(tenant)).map((r) => r.tag).sort()).toEqual(
      ['AC:23:3F:00:20:01', hostileTag].sort(),
    );
  });

  it('keeps one point when two hubs relay the same reading (hub is a field, not part of the identity)', async () => {
    const tenant = `t-${randomUUID()}`;
    const tag = 'AC:23:3F:00:30:01';
    await store.write([reading(tenant, tag, 0, { hub: '490154203237518' })], []);
    await store.write([reading(tenant, tag, 0, { hub: '490154203237526', receivedAt: T0 + 900 })], []);
    const got = await store.readings({ tenantId: tenant, tag, from: T0, to: T0 + 1, limit: 10 });
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ hub: '490154203237526', receivedAt: T0 + 900 }); // the last write wins
    expect(await countReadings(endpoints, tenant)).toBe(1);
  });

  it('stores a 20,000-reading write exactly (counted with InfluxQL COUNT), sent as several requests (7,000 lines each)', async () => {
    const tenant = `t-${randomUUID()}`;
    const batch = Array.from({ length: 20_000 }, (_, i) =>
      reading(tenant, `AC:23:3F:01:${String(Math.floor(i / 200)).padStart(2, '0')}:00`, i),
    );
    const cutting = new InfluxTelemetryStore(storeOptions(endpoints, { maxLinesPerRequest: 7_000 }));
    await cutting.start();
    try {
      await expect(cutting.write(batch, [])).resolves.toEqual({ written: 20_000 });
    } finally {
      await cutting.close();
    }
    expect(await countReadings(endpoints, tenant)).toBe(20_000);
    const oneTag = await store.readings({
      tenantId: tenant,
      tag: 'AC:23:3F:01:07:00',
      from: T0,
      to: T0 + 20_000_000,
      limit: 1_000,
    });
    expect(oneTag.map((r) => r.ts)).toEqual(Array.from({ length: 200 }, (_, i) => T0 + (1_400 + i) * 1_000));
  });

  it('keeps concurrent write calls apart: each resolves for its own readings, all stored', async () => {
    const tenant = `t-${randomUUID()}`;
    const calls = Array.from({ length: 4 }, (_, c) =>
      Array.from({ length: 3_000 }, (_, i) => reading(tenant, `AC:23:3F:02:00:0${c}`, i)),
    );
    const results = await Promise.all(calls.map((batch) => store.write(batch, [])));
    expect(results).toEqual(calls.map(() => ({ written: 3_000 })));
    expect(await countReadings(endpoints, tenant)).toBe(12_000);
  });

  it('keeps positions in the 60-day bucket, and takes a batch whose old fixes InfluxDB drops as already expired', async () => {
    const tenant = `t-${randomUUID()}`;
    const now = Date.now();
    const fresh: StoredPosition = { tenantId: tenant, hub: HUB, lat: 45.76, lon: 4.84, fixAt: now - 60_000 };
    const expired: StoredPosition = { ...fresh, fixAt: now - 61 * 24 * 3_600_000 };
    await expect(store.write([reading(tenant, 'AC:23:3F:00:40:01', 0)], [expired, fresh])).resolves.toEqual({
      written: 1,
    });
    expect(await store.positions(tenant, HUB, now - 62 * 24 * 3_600_000, now, 10)).toEqual([fresh]);
    const inAutogen = await influxQl(
      endpoints,
      `SELECT COUNT("lat") FROM "autogen"."${POSITIONS_MEASUREMENT}" WHERE "tenant" = $tenant`,
      { tenant },
    );
    expect(inAutogen).toEqual([]);
  });

  it('fails start() clearly when a bucket’s retention policy does not exist', async () => {
    const missing = new InfluxTelemetryStore(
      storeOptions(endpoints, { positionsBucket: 'coldchain/no_such_policy' }),
    );
    await expect(missing.start()).rejects.toThrow(/no retention policy "no_such_policy"/);
    await missing.close();
  });

  it('fails start() clearly when nothing answers at the URL, and reports unhealthy', async () => {
    const [port] = await freePorts(1);
    const nowhere = new InfluxTelemetryStore(storeOptions(endpoints, { url: `http://127.0.0.1:${port}` }));
    const failure = await nowhere.start().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(EngineUnavailableError);
    expect((failure as Error).message).toContain(`http://127.0.0.1:${port}/ping`);
    expect(nowhere.isHealthy()).toBe(false);
    await nowhere.close();
  });
});

/**
 * Stopping InfluxDB is done on a private instance (own data dir and ports,
 * as test/integration/infra/lifecycle.test.ts does): the shared instance
 * serves the other test files and engineers running at the same time.
 */
describe('InfluxTelemetryStore across an InfluxDB outage (private instance)', () => {
  let options: InfraOptions;
  let infraDir: string;
  let privateEndpoints: Endpoints;

  beforeAll(async () => {
    infraDir = await mkdtemp(path.join(tmpdir(), 'coldchain-influx-outage-'));
    const [influx, influxdRpc] = await freePorts(2);
    options = {
      env: {
        COLDCHAIN_INFRA_DIR: infraDir,
        INFLUX_PORT: String(influx),
        INFLUXD_RPC_PORT: String(influxdRpc),
      },
    };
    privateEndpoints = await ensureInfra(['influxdb'], options);
  }, 600_000);

  afterAll(async () => {
    if (options) await stopEngine('influxdb', options);
    if (infraDir) await rm(infraDir, { recursive: true, force: true });
  }, 300_000);

  it('rejects a write with a retriable error while InfluxDB is stopped, stores nothing, and stores the same write once it is back', async () => {
    const store = new InfluxTelemetryStore(storeOptions(privateEndpoints, { requestTimeoutMs: 5_000 }));
    await store.start();
    const tenant = `t-${randomUUID()}`;
    const batch = Array.from({ length: 7_500 }, (_, i) => reading(tenant, `AC:23:3F:03:00:0${i % 5}`, i));
    const positions: StoredPosition[] = [
      { tenantId: tenant, hub: HUB, lat: 48.1, lon: -1.7, fixAt: Date.now() },
    ];
    try {
      await stopEngine('influxdb', options);

      const outcome = await settledWithin(store.write(batch, positions), 30_000);
      expect(outcome.status).toBe('rejected');
      const error = (outcome as PromiseRejectedResult).reason as Error;
      expect(error).toBeInstanceOf(EngineUnavailableError);
      expect(isRetriable(error)).toBe(true);
      expect(error.cause).toBeDefined();
      expect(store.isHealthy()).toBe(false);

      privateEndpoints = await startEngine('influxdb', options);
      expect(await countReadings(privateEndpoints, tenant)).toBe(0);

      await expect(store.write(batch, positions)).resolves.toEqual({ written: 7_500 });
      expect(store.isHealthy()).toBe(true);
      expect(await countReadings(privateEndpoints, tenant)).toBe(7_500);
      const first = await store.readings({
        tenantId: tenant,
        tag: 'AC:23:3F:03:00:00',
        from: T0,
        to: T0 + 1,
        limit: 5,
      });
      expect(first).toEqual([batch[0]]);
      expect(await store.positions(tenant, HUB, positions[0].fixAt, positions[0].fixAt + 1, 5)).toEqual(
        positions,
      );
    } finally {
      // Whatever failed above, leave the private engine running for afterAll's orderly stop.
      privateEndpoints = await startEngine('influxdb', options);
      await store.close();
    }
  }, 180_000);
});
