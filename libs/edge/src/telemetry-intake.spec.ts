import { describe, expect, it } from '@jest/globals';
import type { BusPort, BusRecord } from '@coldchain/bus';
import { type DeadLetter, TELEMETRY_DLQ_TOPIC, TELEMETRY_TOPIC } from '@coldchain/contract';
import { ManualClock } from '@coldchain/domain';
import type { HubRecord } from '@coldchain/metadata-store';
import { ColdchainMetrics } from '@coldchain/observability';
import type { HubDirectory } from './hub-access.policy.js';
import { TelemetryIntake } from './telemetry-intake.js';

const T0 = Date.UTC(2026, 11, 7);
const HUB: HubRecord = { imei: '490154203237518', tenantId: 't', name: 'Truck', secretHash: 'x' };
const TAG = 'AA:BB:CC:DD:EE:01';
const TOPIC = `khub/${HUB.imei}/telemetry`;

function setup(limits = { deadLetterBurst: 3, deadLetterRefillPerMinute: 6 }) {
  const published = new Map<string, unknown[]>();
  const bus = {
    publish: (topic: { name: string }, records: BusRecord<unknown>[]) => {
      published.set(topic.name, [...(published.get(topic.name) ?? []), ...records.map((r) => r.value)]);
      return Promise.resolve();
    },
  } as unknown as BusPort;
  const directory: HubDirectory = {
    authenticateHub: () => undefined,
    hub: (imei) => (imei === HUB.imei ? HUB : undefined),
    tag: (tenantId, mac) => (mac === TAG ? { tenantId } : undefined),
  };
  const metrics = new ColdchainMetrics();
  const clock = new ManualClock(T0);
  const intake = new TelemetryIntake(bus, directory, metrics, clock, limits);
  const letters = () => (published.get(TELEMETRY_DLQ_TOPIC.name) ?? []) as DeadLetter[];
  const suppressed = async (reason: string) =>
    (await metrics.deadLettersSuppressed.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
  return { intake, clock, letters, published, suppressed, metrics };
}

describe('TelemetryIntake dead letters', () => {
  it('publishes a bounded letter: prefix, size, hash, never the whole payload', async () => {
    const { intake, letters } = setup();
    const payload = Buffer.concat([Buffer.from('{"v":1,'), Buffer.alloc(300 * 1024, 0x61)]);
    expect(await intake.handle(HUB, TOPIC, payload)).toMatchObject({ reason: 'payload_too_large' });
    const [letter] = letters();
    expect(letter).toMatchObject({ hub: HUB.imei, payloadBytes: payload.length, suppressed: 0 });
    expect(letter.payloadSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(letter.payloadPrefixBase64, 'base64')).toHaveLength(4096);
  });

  it("counts a hub's letters over its burst instead of publishing them, and reports them in its next letter", async () => {
    const { intake, clock, letters, suppressed } = setup();
    for (let i = 0; i < 10; i++) await intake.handle(HUB, TOPIC, Buffer.from(`{"v":1, ${i}`));
    expect(letters()).toHaveLength(3);
    expect(await suppressed('malformed_json')).toBe(7);
    clock.advance(10_000);
    await intake.handle(HUB, TOPIC, Buffer.from('{nope'));
    expect(letters().at(-1)).toMatchObject({ suppressed: 7 });
  });

  it('still publishes the good readings of a partly bad message when the letter is over the limit', async () => {
    const { intake, letters, published } = setup({ deadLetterBurst: 1, deadLetterRefillPerMinute: 1 });
    const message = (seq: number) =>
      Buffer.from(
        JSON.stringify({
          v: 1,
          hub: HUB.imei,
          seq,
          sentAt: T0,
          readings: [
            { tag: TAG, ts: T0 - seq, temperature: 4 },
            { tag: 'AA:BB:CC:DD:EE:99', ts: T0, temperature: 4 },
          ],
        }),
      );
    for (let seq = 1; seq <= 3; seq++)
      expect(await intake.handle(HUB, TOPIC, message(seq))).toEqual({ accepted: 1, rejected: 1 });
    expect(letters()).toHaveLength(1);
    expect(published.get(TELEMETRY_TOPIC.name)).toHaveLength(3);
  });

  it('gives senders refused before authentication one shared limit, whatever hub they name', async () => {
    const { intake, letters, suppressed } = setup();
    for (let i = 0; i < 10; i++)
      await intake.refuse(
        `khub/${i}/telemetry`,
        String(i),
        Buffer.from('x'),
        'unknown_hub',
        'not registered',
      );
    expect(letters()).toHaveLength(3);
    expect(await suppressed('unknown_hub')).toBe(7);
    // A registered hub keeps its own bucket.
    await intake.handle(HUB, TOPIC, Buffer.from('{nope'));
    expect(letters()).toHaveLength(4);
  });

  it("counts unknown hubs' statuses without spending the shared letter budget", async () => {
    const { intake, letters, metrics } = setup();
    for (let i = 0; i < 10; i++) intake.unknownHubStatus(i % 2 === 0);
    expect(letters()).toHaveLength(0);
    const counted = (await metrics.unknownHubStatuses.get()).values;
    expect(counted.find((v) => v.labels.retained === 'true')?.value).toBe(5);
    expect(counted.find((v) => v.labels.retained === 'false')?.value).toBe(5);
    // The budget is untouched: the next unknown sender's telemetry is still dead-lettered.
    await intake.refuse(`khub/1/telemetry`, '1', Buffer.from('x'), 'unknown_hub', 'not registered');
    expect(letters()).toHaveLength(1);
  });
});
