import { describe, expect, it } from '@jest/globals';
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
