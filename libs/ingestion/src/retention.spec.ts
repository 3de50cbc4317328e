import { describe, expect, it } from '@jest/globals';
import { deadLetterPayload, type DeadLetter } from '@coldchain/contract';
import { ManualClock, type StoredReading } from '@coldchain/domain';
import { SqliteDatabase, metadataRepositories } from '@coldchain/metadata-store';
import { SqliteTelemetryStore } from '@coldchain/telemetry-store';
import { applyRetention, purgeDeadLetters } from './retention.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 2);
const reading = (ts: number): StoredReading => ({
  tenantId: 't',
  tag: 'AA:00:00:00:00:01',
  hub: 'h',
  ts,
  temperature: 4,
  receivedAt: ts,
});

describe('applyRetention', () => {
  it('drops positions past their days and keeps readings for ever by default', async () => {
    const store = new SqliteTelemetryStore(':memory:');
    await store.start();
    const fix = (fixAt: number) => ({ tenantId: 't', hub: 'h', lat: 1, lon: 2, fixAt });
    await store.write(
      [reading(NOW - 400 * DAY), reading(NOW - DAY)],
      [fix(NOW - 61 * DAY), fix(NOW - 59 * DAY)],
    );
    const gone = await applyRetention(store, { positionsDays: 60, readingsDays: 0 }, new ManualClock(NOW));
    expect(gone).toEqual({ readings: 0, positions: 1 });
    expect((await store.positions('t', 'h', 0, NOW, 10)).map((p) => p.fixAt)).toEqual([NOW - 59 * DAY]);
    expect(
      await store.readings({ tenantId: 't', tag: 'AA:00:00:00:00:01', from: 0, to: NOW, limit: 10 }),
    ).toHaveLength(2);
    await store.close();
  });

  it("applies a tenant's shorter positions retention to that tenant only", async () => {
    const store = new SqliteTelemetryStore(':memory:');
    await store.start();
    const fix = (tenantId: string, fixAt: number) => ({ tenantId, hub: 'h', lat: 1, lon: 2, fixAt });
    await store.write(
      [],
      [fix('strict', NOW - 10 * DAY), fix('strict', NOW - DAY), fix('relaxed', NOW - 10 * DAY)],
    );
    const gone = await applyRetention(store, { positionsDays: 60, readingsDays: 0 }, new ManualClock(NOW), [
      { id: 'strict', positionsRetentionDays: 7 },
      { id: 'relaxed', positionsRetentionDays: 90 }, // longer than the platform's: the platform's wins
    ]);
    expect(gone.positions).toBe(1);
    expect((await store.positions('strict', 'h', 0, NOW, 10)).map((p) => p.fixAt)).toEqual([NOW - DAY]);
    expect(await store.positions('relaxed', 'h', 0, NOW, 10)).toHaveLength(1);
    await store.close();
  });

  it('drops readings past a readings limit, and forgets the last fix of a hub silent past the positions limit', async () => {
    const store = new SqliteTelemetryStore(':memory:');
    await store.start();
    await store.write(
      [reading(NOW - 400 * DAY), reading(NOW - DAY)],
      [{ tenantId: 't', hub: 'old', lat: 1, lon: 2, fixAt: NOW - 90 * DAY }],
    );
    const gone = await applyRetention(store, { positionsDays: 60, readingsDays: 365 }, new ManualClock(NOW));
    expect(gone).toEqual({ readings: 1, positions: 1 });
    expect(await store.latestPositions('t')).toEqual([]);
    expect((await store.latest('t')).map((r) => r.ts)).toEqual([NOW - DAY]);
    await store.close();
  });
});

describe('purgeDeadLetters', () => {
  it('deletes the dead letters received more than the retention before now, and keeps the rest', async () => {
    const store = new SqliteDatabase(':memory:');
    await store.start();
    const { deadLetters } = metadataRepositories(store);
    const letter = (receivedAt: number): DeadLetter => ({
      v: 1,
      topic: 'khub/490154203237518/telemetry',
      hub: '490154203237518',
      receivedAt,
      reason: 'malformed_json',
      detail: 'x',
      rejections: [],
      ...deadLetterPayload(Buffer.from('{')),
      suppressed: 0,
    });
    await deadLetters.recordDeadLetters([letter(NOW - 31 * DAY), letter(NOW - 30 * DAY), letter(NOW - DAY)]);
    expect(await purgeDeadLetters(deadLetters, 30, new ManualClock(NOW))).toBe(1);
    expect((await deadLetters.listDeadLetters(10)).map((d) => d.receivedAt)).toEqual([
      NOW - DAY,
      NOW - 30 * DAY,
    ]);
    await store.close();
  });
});
