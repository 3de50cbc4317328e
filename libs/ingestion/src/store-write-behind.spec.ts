import { describe, expect, it } from '@jest/globals';
import type { StoredReading } from '@coldchain/domain';
import { EngineUnavailableError, InvalidInputError, ShuttingDownError, isRetriable } from '@coldchain/errors';
import { ColdchainMetrics } from '@coldchain/observability';
import type { StoredPosition, TelemetryStorePort } from '@coldchain/telemetry-store';
import { StoreWriteBehind, WRITE_BEHIND_DEFAULTS, type WriteBehindOptions } from './store-write-behind.js';

interface Call {
  readings: readonly StoredReading[];
  positions: readonly StoredPosition[];
  resolve(): void;
  reject(err: Error): void;
}

/** A store whose every write waits until the test settles it. */
class ManualStore {
  readonly kind = 'influxdb' as const;
  readonly calls: Call[] = [];
  write(readings: readonly StoredReading[], positions: readonly StoredPosition[]) {
    return new Promise<{ written: number }>((resolve, reject) =>
      this.calls.push({ readings, positions, resolve: () => resolve({ written: readings.length }), reject }),
    );
  }
  get last(): Call {
    return this.calls[this.calls.length - 1];
  }
}

const tick = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rows(from: number, count: number): StoredReading[] {
  return Array.from({ length: count }, (_, i) => ({
    tenantId: 't',
    tag: 'AA:BB:CC:00:00:01',
    hub: '356938035643809',
    ts: from + i,
    temperature: 5,
    receivedAt: from + i,
  }));
}

function setup(options: Partial<WriteBehindOptions> = {}) {
  const store = new ManualStore();
  const metrics = new ColdchainMetrics({ defaultMetrics: false });
  const warnings: string[] = [];
  const errors: string[] = [];
  const writer = new StoreWriteBehind(
    store as unknown as TelemetryStorePort,
    metrics,
    { warn: (m) => warnings.push(m), error: (m) => errors.push(m) },
    { ...WRITE_BEHIND_DEFAULTS, retryInitialMs: 5, retryMaxMs: 20, ...options },
  );
  return { store, writer, metrics, warnings, errors };
}

/** 'resolved', 'rejected' or 'pending' after the current turn. */
async function state(p: Promise<unknown>): Promise<string> {
  let s = 'pending';
  p.then(
    () => (s = 'resolved'),
    () => (s = 'rejected'),
  );
  await tick();
  return s;
}

describe('StoreWriteBehind', () => {
  it('writes at once, and joins the batches that queued meanwhile into the next write, in order', async () => {
    const { store, writer, metrics } = setup();
    await writer.enqueue(rows(0, 3), []);
    expect(store.calls).toHaveLength(1);
    await writer.enqueue(rows(3, 2), []);
    await writer.enqueue(rows(5, 4), [{ tenantId: 't', hub: 'h', lat: 1, lon: 2, fixAt: 9 }]);
    expect(store.calls).toHaveLength(1); // one write in flight at a time
    expect(writer.pendingReadings).toBe(9);
    store.calls[0].resolve();
    await tick();
    expect(store.calls).toHaveLength(2);
    expect(store.calls[1].readings.map((r) => r.ts)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(store.calls[1].positions).toHaveLength(1);
    store.calls[1].resolve();
    await tick();
    expect(writer.pendingReadings).toBe(0);
    expect((await metrics.readingsIngested.get()).values[0].value).toBe(9);
    expect((await metrics.writeBehindReadings.get()).values[0].value).toBe(0);
  });

  it('writes a lone small batch at once, without waiting for more to gather', async () => {
    const { store, writer } = setup();
    await writer.enqueue(rows(0, 1), []);
    expect(store.calls).toHaveLength(1);
    expect(store.last.readings).toHaveLength(1);
    const flushed = writer.flush();
    store.last.resolve();
    await expect(flushed).resolves.toBeUndefined();
    await tick();
    await writer.enqueue(rows(1, 1), []);
    expect(store.calls).toHaveLength(2); // the next one too: nothing was in flight
  });

  it("joins only one group's batches per write, oldest first, and flush waits for every group", async () => {
    const { store, writer } = setup();
    await writer.enqueue(rows(0, 1), [], 0); // in flight at once
    await writer.enqueue(rows(1, 1), [], 1);
    await writer.enqueue(rows(2, 1), [], 0);
    await writer.enqueue(rows(3, 1), [], 1);
    await writer.enqueue(rows(4, 1), [], 2);
    const flushed = writer.flush();
    store.last.resolve();
    await tick();
    expect(store.last.readings.map((r) => r.ts)).toEqual([1, 3]); // group 1 holds the oldest batch queued
    store.last.resolve();
    await tick();
    expect(store.last.readings.map((r) => r.ts)).toEqual([2]);
    store.last.resolve();
    expect(await state(flushed)).toBe('pending'); // group 2 is not written yet
    await tick();
    expect(store.last.readings.map((r) => r.ts)).toEqual([4]);
    store.last.resolve();
    expect(await state(flushed)).toBe('resolved');
    expect(writer.pendingReadings).toBe(0);
  });

  it('cuts writes at maxWriteReadings but never splits a batch', async () => {
    const { store, writer } = setup({ maxWriteReadings: 5 });
    await writer.enqueue(rows(0, 1), []);
    await writer.enqueue(rows(1, 3), []);
    await writer.enqueue(rows(4, 3), []);
    await writer.enqueue(rows(7, 8), []);
    store.calls[0].resolve();
    await tick();
    expect(store.last.readings.map((r) => r.ts)).toEqual([1, 2, 3]); // 3 + 3 > 5
    store.last.resolve();
    await tick();
    expect(store.last.readings.map((r) => r.ts)).toEqual([4, 5, 6]);
    store.last.resolve();
    await tick();
    expect(store.last.readings).toHaveLength(8); // alone, whole
  });

  it('flush resolves once everything enqueued before it is written, not before', async () => {
    const { store, writer } = setup();
    await expect(writer.flush()).resolves.toBeUndefined(); // nothing pending
    await writer.enqueue(rows(0, 2), []);
    await writer.enqueue(rows(2, 2), []);
    const flushed = writer.flush();
    await writer.enqueue(rows(4, 2), [], 1); // after the flush, in another group: not waited for
    store.calls[0].resolve();
    expect(await state(flushed)).toBe('pending');
    store.calls[1].resolve(); // rows 2..3
    expect(await state(flushed)).toBe('resolved');
    await tick();
    expect(store.last.readings.map((r) => r.ts)).toEqual([4, 5]); // still to write, after the flush resolved
  });

  it('retries a failed write with the same readings before anything queued after them, and flush fails meanwhile', async () => {
    const { store, writer, warnings } = setup();
    await writer.enqueue(rows(0, 2), []);
    const flushed = writer.flush();
    await writer.enqueue(rows(2, 1), []);
    store.calls[0].reject(new EngineUnavailableError('influxdb', 'connection refused'));
    await expect(flushed).rejects.toThrow('connection refused');
    // While the retry waits, a checkpoint fails at once instead of hanging.
    await expect(writer.flush()).rejects.toThrow('connection refused');
    expect(warnings[0]).toMatch(/store write of 2 readings failed \(attempt 1\), retrying in \d+ ms/);
    await sleep(30);
    expect(store.calls).toHaveLength(2);
    expect(store.calls[1].readings.map((r) => r.ts)).toEqual([0, 1, 2]); // same readings, then the later batch
    const again = writer.flush();
    store.calls[1].resolve();
    await expect(again).resolves.toBeUndefined();
    expect(writer.pendingReadings).toBe(0);
  });

  it('holds enqueue back while full, and lets it in once a write frees room', async () => {
    const { store, writer } = setup({ maxQueuedReadings: 4, roomWaitMs: 10_000 });
    await writer.enqueue(rows(0, 4), []);
    const waiting = writer.enqueue(rows(4, 2), []);
    expect(await state(waiting)).toBe('pending');
    store.calls[0].resolve();
    expect(await state(waiting)).toBe('resolved');
    await tick();
    expect(store.last.readings.map((r) => r.ts)).toEqual([4, 5]);
  });

  it('rejects enqueue with a retriable error after roomWaitMs, having taken nothing', async () => {
    const { store, writer } = setup({ maxQueuedReadings: 4, roomWaitMs: 20 });
    await writer.enqueue(rows(0, 4), []);
    const err = await writer.enqueue(rows(4, 2), []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineUnavailableError);
    expect(isRetriable(err)).toBe(true);
    expect((err as Error).message).toMatch(/4 readings still wait to be written after 20 ms/);
    expect(writer.pendingReadings).toBe(4);
    store.calls[0].resolve();
    await tick();
    expect(store.calls).toHaveLength(1); // the refused batch was never queued
    await expect(writer.flush()).resolves.toBeUndefined();
  });

  it('sets aside the one batch the store refuses for good, found by writing one batch at a time', async () => {
    const { store, writer, metrics, errors } = setup();
    await writer.enqueue(rows(0, 1), []);
    await writer.enqueue(rows(1, 2), []);
    await writer.enqueue(rows(3, 3), []); // the bad one
    await writer.enqueue(rows(6, 1), []);
    const flushed = writer.flush();
    store.calls[0].resolve();
    await tick();
    expect(store.last.readings.map((r) => r.ts)).toEqual([1, 2, 3, 4, 5, 6]);
    store.last.reject(new InvalidInputError('line protocol: temperature is not a finite number'));
    await tick();
    // One at a time, at once (no backoff: retrying the same content cannot help).
    expect(store.last.readings.map((r) => r.ts)).toEqual([1, 2]);
    store.last.resolve();
    await tick();
    expect(store.last.readings.map((r) => r.ts)).toEqual([3, 4, 5]);
    store.last.reject(new InvalidInputError('line protocol: temperature is not a finite number'));
    await tick();
    expect(store.last.readings.map((r) => r.ts)).toEqual([6]); // the rest goes on
    store.last.resolve();
    await expect(flushed).resolves.toBeUndefined();
    expect(errors).toEqual([
      expect.stringMatching(/store refused a batch of 3 readings for good; set aside \(not stored\)/),
    ]);
    expect((await metrics.storeRefusedReadings.get()).values[0].value).toBe(3);
    expect((await metrics.readingsIngested.get()).values[0].value).toBe(4);
  });

  it('refuses the batches waiting for room at once when the store shuts down', async () => {
    const { store, writer } = setup({ maxQueuedReadings: 2, roomWaitMs: 10_000 });
    await writer.enqueue(rows(0, 2), []);
    const waiting = writer.enqueue(rows(2, 1), []);
    store.calls[0].reject(new ShuttingDownError('influxdb telemetry store'));
    await expect(waiting).rejects.toBeInstanceOf(ShuttingDownError);
  });

  it('stops retrying once the store is shutting down, and refuses new batches', async () => {
    const { store, writer } = setup();
    await writer.enqueue(rows(0, 2), []);
    store.calls[0].reject(new ShuttingDownError('influxdb telemetry store'));
    await tick();
    await sleep(30);
    expect(store.calls).toHaveLength(1);
    await expect(writer.enqueue(rows(2, 1), [])).rejects.toBeInstanceOf(ShuttingDownError);
    await expect(writer.flush()).rejects.toBeInstanceOf(ShuttingDownError);
  });
});
