import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { telemetryStoreContract } from '../../../test/contracts/telemetry-store.contract.js';
import { SqliteTelemetryStore } from './sqlite-telemetry-store.adapter.js';

telemetryStoreContract(
  'sqlite',
  async () => new SqliteTelemetryStore(join(mkdtempSync(join(tmpdir(), 'cc-ts-')), 'telemetry.db')),
);

describe('SqliteTelemetryStore specifics', () => {
  it('keeps committed readings across a close and reopen', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cc-ts-')), 'telemetry.db');
    const first = new SqliteTelemetryStore(file);
    await first.start();
    await first.write(
      [{ tenantId: 't', tag: 'AA:AA:AA:AA:AA:AA', hub: 'h', ts: 1_000, temperature: 5, receivedAt: 1_001 }],
      [],
    );
    await first.close();
    const second = new SqliteTelemetryStore(file);
    await second.start();
    expect(
      await second.readings({ tenantId: 't', tag: 'AA:AA:AA:AA:AA:AA', from: 0, to: 2_000, limit: 5 }),
    ).toHaveLength(1);
    await second.close();
  });

  it('fills the latest tables from the history of a store written before they existed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cc-ts-')), 'telemetry.db');
    const first = new SqliteTelemetryStore(file);
    await first.start();
    const r = (ts: number, temperature: number) => ({
      tenantId: 't',
      tag: 'AA:AA:AA:AA:AA:AA',
      hub: 'h',
      ts,
      temperature,
      receivedAt: ts,
    });
    await first.write(
      [r(1_000, 5), r(3_000, 7), r(2_000, 6)],
      [{ tenantId: 't', hub: 'h', lat: 1, lon: 2, fixAt: 3_000 }],
    );
    await first.close();
    // As an older version left it: history only.
    const raw = new Database(file);
    raw.exec('DROP TABLE latest_readings; DROP TABLE latest_positions;');
    raw.close();
    const second = new SqliteTelemetryStore(file);
    await second.start();
    expect((await second.latest('t')).map((x) => [x.ts, x.temperature])).toEqual([[3_000, 7]]);
    expect((await second.latestPositions('t')).map((p) => p.fixAt)).toEqual([3_000]);
    await second.close();
  });

  it('reports how many readings were new', async () => {
    const store = new SqliteTelemetryStore(':memory:');
    await store.start();
    const r = {
      tenantId: 't',
      tag: 'AA:AA:AA:AA:AA:AA',
      hub: 'h',
      ts: 1_000,
      temperature: 5,
      receivedAt: 1_001,
    };
    expect(await store.write([r, { ...r, ts: 2_000 }], [])).toEqual({ written: 2 });
    expect(await store.write([r], [])).toEqual({ written: 0 });
    await store.close();
  });

  it('refuses writes once closed with a retriable error', async () => {
    const store = new SqliteTelemetryStore(':memory:');
    await store.start();
    await store.close();
    await expect(store.write([], [])).rejects.toMatchObject({ retriable: true, code: 'engine_unavailable' });
  });
});
