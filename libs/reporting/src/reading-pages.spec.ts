import { describe, expect, it } from '@jest/globals';
import type { StoredReading } from '@coldchain/domain';
import { SqliteTelemetryStore } from '@coldchain/telemetry-store';
import { readingPages } from './reading-pages.js';

const T0 = Date.UTC(2026, 0, 1);
const reading = (i: number): StoredReading => ({
  tenantId: 't',
  tag: 'AA:00:00:00:00:01',
  hub: '356938035643809',
  ts: T0 + i * 1000,
  temperature: i,
  receivedAt: T0 + i * 1000,
});

describe('readingPages', () => {
  it('walks a window page by page, every reading once, in measured order, within [from, to)', async () => {
    const store = new SqliteTelemetryStore(':memory:');
    await store.start();
    await store.write(
      Array.from({ length: 25 }, (_, i) => reading(i)),
      [],
    );
    const pages: number[][] = [];
    for await (const page of readingPages(
      store,
      { tenantId: 't', tag: 'AA:00:00:00:00:01', from: T0 + 2000, to: T0 + 22_000 },
      7,
    ))
      pages.push(page.map((r) => r.temperature!));
    expect(pages.map((p) => p.length)).toEqual([7, 7, 6]);
    expect(pages.flat()).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    await store.close();
  });
});
