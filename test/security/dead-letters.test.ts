import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { type BusPort, BUS } from '@coldchain/bus';
import { type DeadLetter, TELEMETRY_DLQ_TOPIC } from '@coldchain/contract';
import { ManualClock } from '@coldchain/domain';
import type { StoredDeadLetter } from '@coldchain/metadata-store';
import { type ColdchainMetrics, METRICS } from '@coldchain/observability';
import { type TelemetryStorePort, TELEMETRY_STORE } from '@coldchain/telemetry-store';
import { RetentionJob } from '@coldchain/ingestion';
import { startPlatform, type RunningPlatform } from '../support/platform.js';
import { repositoriesOf, type MetadataHarness } from '../support/metadata.js';

/**
 * Replays a dead-letter flood against the embedded platform: hubs publishing
 * payloads that pass the broker but fail the telemetry contract, big ones and
 * many small ones. Before the fix each was stored whole in the metadata
 * database (a 20 MiB publish grew it by 54 MiB) with no cap and no purge.
 *
 * The platform runs on a frozen clock, so the per-hub token bucket refills
 * only when the test advances it: the counts below are exact.
 */

const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);
const DAY_MS = 86_400_000;
/** What the fix keeps of each payload, and the per-hub burst of dead letters (libs/edge EDGE_DEFAULTS). */
const PREFIX_BYTES = 4096;
const BURST = 20;
/** Under the contract's 256 KiB limit and the broker's packet limit: it reaches the validator. */
const BIG_BYTES = 200 * 1024;

const clock = new ManualClock(T0);
let platform: RunningPlatform;
let metadata: MetadataHarness;
let telemetry: TelemetryStorePort;
let metrics: ColdchainMetrics;
const onBus: DeadLetter[] = [];
const clients: MqttClient[] = [];
let seq = 0;

async function hub(i: number): Promise<MqttClient> {
  const h = platform.creds.hubs[i];
  const client = await connectAsync(platform.mqttUrl, {
    clientId: `khub-${h.imei}-${seq++}`,
    username: h.imei,
    password: h.secret,
    reconnectPeriod: 0,
    clean: true,
  });
  clients.push(client);
  return client;
}

const imei = (i: number) => platform.creds.hubs[i].imei;
const telemetryTopic = (i: number) => `khub/${imei(i)}/telemetry`;

/** Not JSON (`malformed_json`): the whole message is dead-lettered; `fill` bytes of random base64 inside. */
function junk(fill: number): Buffer {
  return Buffer.concat([Buffer.from('{"v":1,"junk":'), Buffer.from(randomBytes(fill).toString('base64'))]);
}

/** The metadata database on disk, main file plus write-ahead log (where new rows land first). */
function metadataDbBytes(): number {
  const file = join(platform.config.DATA_DIR, 'metadata.db');
  return [file, `${file}-wal`].reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0);
}

async function lettersOf(i: number): Promise<StoredDeadLetter[]> {
  return (await metadata.deadLetters.listDeadLetters(10_000)).filter((d) => d.hub === imei(i));
}

async function counter(name: string, labels: Record<string, string>): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  const hit = values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return hit?.value ?? 0;
}

beforeAll(async () => {
  platform = await startPlatform({ DEAD_LETTER_RETENTION_DAYS: '7' }, { clock });
  metadata = repositoriesOf(platform.app);
  telemetry = platform.app.get(TELEMETRY_STORE);
  metrics = platform.app.get(METRICS);
  // In-process, a publish resolves once every group handled it, so each PUBACK below
  // comes after the dead letter is on this list and in the store.
  await platform.app
    .get<symbol, BusPort>(BUS)
    .subscribe(TELEMETRY_DLQ_TOPIC, { group: 'dead-letter-test-tap' }, (batch) => {
      onBus.push(...batch.values);
      return Promise.resolve();
    });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await platform?.close();
});

describe('dead letters stay bounded', () => {
  it('keeps a 4 KiB prefix, the SHA-256 and the size of big refused payloads; the database grows by little', async () => {
    const client = await hub(0);
    const before = metadataDbBytes();
    const sent: Buffer[] = [];
    for (let n = 0; n < 16; n++) {
      const payload = junk((BIG_BYTES * 3) / 4);
      sent.push(payload);
      await client.publishAsync(telemetryTopic(0), payload, { qos: 1 });
    }
    const grown = metadataDbBytes() - before;
    // Stored whole, 16 × 200 KiB is 4.3 MiB of base64; prefixes are 16 × 5.5 KiB.
    expect(grown).toBeLessThan(1024 * 1024);

    const letters = (await lettersOf(0)).reverse();
    expect(letters).toHaveLength(sent.length);
    letters.forEach((letter, n) => {
      expect(letter).toMatchObject({
        reason: 'malformed_json',
        payloadBytes: sent[n].length,
        payloadSha256: createHash('sha256').update(sent[n]).digest('hex'),
        suppressed: 0,
      });
      expect(
        Buffer.from(letter.payloadPrefixBase64, 'base64').equals(sent[n].subarray(0, PREFIX_BYTES)),
      ).toBe(true);
    });
    // Nothing large crossed the bus either.
    const largest = Math.max(...onBus.map((d) => JSON.stringify(d).length));
    expect(onBus.length).toBeGreaterThanOrEqual(sent.length);
    expect(largest).toBeLessThan(8 * 1024);
  });

  it("stores a flooding hub's dead letters up to its burst, counts the rest, and keeps its good readings and other hubs' letters", async () => {
    const flooder = await hub(1);
    const flood = 200;
    const suppressedBefore = await counter('coldchain_dead_letters_suppressed_total', {
      reason: 'malformed_json',
    });
    const before = metadataDbBytes();
    for (let n = 0; n < flood; n++) await flooder.publishAsync(telemetryTopic(1), junk(64), { qos: 1 });
    expect(await lettersOf(1)).toHaveLength(BURST);
    expect(
      (await counter('coldchain_dead_letters_suppressed_total', { reason: 'malformed_json' })) -
        suppressedBefore,
    ).toBe(flood - BURST);
    expect(metadataDbBytes() - before).toBeLessThan(512 * 1024);

    // Another hub is not silenced by the flooder.
    const honest = await hub(2);
    await honest.publishAsync(telemetryTopic(2), junk(16), { qos: 1 });
    expect(await lettersOf(2)).toHaveLength(1);

    // The flooder's valid readings still go through, and are stored.
    const tag = platform.creds.tags.find((t) => t.hub === imei(1))!.mac;
    const ts = T0 - 60_000;
    await flooder.publishAsync(
      telemetryTopic(1),
      JSON.stringify({
        v: 1,
        hub: imei(1),
        seq: seq++,
        sentAt: T0,
        readings: [{ tag, ts, temperature: 4.5 }],
      }),
      { qos: 1 },
    );
    expect(await telemetry.readings({ tenantId: 'demo', tag, from: ts, to: ts + 1, limit: 5 })).toMatchObject(
      [{ tag, temperature: 4.5 }],
    );

    // A minute later the bucket has refilled a little: the next letter says how many were dropped.
    clock.advance(60_000);
    await flooder.publishAsync(telemetryTopic(1), junk(16), { qos: 1 });
    const [newest] = await lettersOf(1);
    expect(newest.suppressed).toBe(flood - BURST);
    expect(await lettersOf(1)).toHaveLength(BURST + 1);
  });

  it('purges dead letters older than DEAD_LETTER_RETENTION_DAYS in the hourly retention pass', async () => {
    expect((await metadata.deadLetters.listDeadLetters(10_000)).length).toBeGreaterThan(0);
    clock.advance(8 * DAY_MS);
    const client = await hub(2);
    await client.publishAsync(telemetryTopic(2), junk(16), { qos: 1 });
    await platform.app.get(RetentionJob).run();
    const left = await metadata.deadLetters.listDeadLetters(10_000);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ hub: imei(2), receivedAt: clock.now() });
  });
});
