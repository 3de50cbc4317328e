import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { BusPort, ConsumedBatch } from '@coldchain/bus';
import { bundledJsonTopic, jsonTopic } from '@coldchain/contract';
import { EngineUnavailableError } from '@coldchain/errors';

interface Msg {
  key: string;
  n: number;
}

/** Resolves when `predicate` holds, checking after each delivered batch; rejects after `timeoutMs`. */
function until(predicate: () => boolean, timeoutMs: number, probe: { notify?: () => void }): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const timer = setTimeout(() => reject(new Error(`condition not met within ${timeoutMs} ms`)), timeoutMs);
    probe.notify = () => {
      if (predicate()) {
        clearTimeout(timer);
        resolve();
      }
    };
  });
}

/**
 * The behaviour every BusPort adapter must show. Run by the in-process bus's
 * unit spec and by the Kafka adapter's integration test.
 */
export function busContract(adapter: string, makeBus: () => Promise<BusPort>, timeoutMs = 20000): void {
  describe(`BusPort contract: ${adapter}`, () => {
    let bus: BusPort;
    beforeEach(async () => {
      bus = await makeBus();
      await bus.start();
    });
    afterEach(async () => {
      await bus.close();
    });

    it('delivers every published record once publish resolved, keeping per-key order', async () => {
      const topic = jsonTopic<Msg>(`contract.order.${randomUUID()}`);
      const seen: Msg[] = [];
      const probe: { notify?: () => void } = {};
      await bus.subscribe(topic, { group: `g-${randomUUID()}` }, async (batch) => {
        seen.push(...batch.values);
        probe.notify?.();
      });
      const records = [];
      for (let n = 0; n < 300; n++) records.push({ key: `tag-${n % 7}`, value: { key: `tag-${n % 7}`, n } });
      await bus.publish(topic, records.slice(0, 150));
      await bus.publish(topic, records.slice(150));
      await until(() => seen.length >= 300, timeoutMs, probe);
      expect(seen).toHaveLength(300);
      for (let k = 0; k < 7; k++) {
        const ns = seen.filter((m) => m.key === `tag-${k}`).map((m) => m.n);
        expect(ns).toEqual([...ns].sort((a, b) => a - b));
      }
    });

    it('delivers a bundled topic record by record with its key, in per-key order', async () => {
      const topic = bundledJsonTopic<Msg>(`contract.bundled.${randomUUID()}`);
      const seen: Msg[] = [];
      const keysMatch: boolean[] = [];
      const probe: { notify?: () => void } = {};
      await bus.subscribe(topic, { group: `g-${randomUUID()}`, maxBatchRecords: 50 }, async (batch) => {
        batch.values.forEach((m, i) => keysMatch.push(batch.keys[i] === m.key));
        seen.push(...batch.values);
        probe.notify?.();
      });
      // Concurrent publishes of many keys: they coalesce into the same bundles on Kafka.
      const records: { key: string; value: Msg }[] = [];
      for (let n = 0; n < 600; n++)
        records.push({ key: `tag-${n % 37}`, value: { key: `tag-${n % 37}`, n } });
      await Promise.all([0, 1, 2, 3].map((i) => bus.publish(topic, records.slice(i * 150, (i + 1) * 150))));
      await until(() => seen.length >= 600, timeoutMs, probe);
      expect(seen.map((m) => m.n).sort((a, b) => a - b)).toEqual(records.map((r) => r.value.n));
      expect(keysMatch.every(Boolean)).toBe(true);
      for (let k = 0; k < 37; k++) {
        const ns = seen.filter((m) => m.key === `tag-${k}`).map((m) => m.n);
        expect(ns).toEqual([...ns].sort((a, b) => a - b));
      }
    });

    it("runs a checkpointed subscription's beforeCommit after the batches it covers, by the time it closes", async () => {
      const topic = jsonTopic<Msg>(`contract.checkpoint.${randomUUID()}`);
      let handled = 0;
      let coveredAtLastFlush = 0;
      const probe: { notify?: () => void } = {};
      const sub = await bus.subscribe(
        topic,
        {
          group: `g-${randomUUID()}`,
          commit: {
            intervalMs: 60_000, // longer than the test: only the close (Kafka) or each batch (in-process) flushes
            beforeCommit: async () => {
              coveredAtLastFlush = handled;
            },
          },
        },
        async (batch) => {
          handled += batch.values.length;
          probe.notify?.();
        },
      );
      await bus.publish(
        topic,
        Array.from({ length: 40 }, (_, n) => ({ key: `k${n % 4}`, value: { key: `k${n % 4}`, n } })),
      );
      await until(() => handled >= 40, timeoutMs, probe);
      await sub.close();
      expect(coveredAtLastFlush).toBe(40);
    });

    it('redelivers a batch whose handler failed, losing nothing and keeping order', async () => {
      const topic = jsonTopic<Msg>(`contract.retry.${randomUUID()}`);
      const committed: number[] = [];
      let failuresLeft = 2;
      const probe: { notify?: () => void } = {};
      await bus.subscribe(topic, { group: `g-${randomUUID()}` }, async (batch: ConsumedBatch<Msg>) => {
        if (failuresLeft > 0) {
          failuresLeft--;
          throw new EngineUnavailableError('test-store', 'down on purpose');
        }
        committed.push(...batch.values.map((v) => v.n));
        probe.notify?.();
      });
      const records = Array.from({ length: 50 }, (_, n) => ({
        key: 'one-key',
        value: { key: 'one-key', n },
      }));
      await bus.publish(topic, records);
      await until(() => committed.length >= 50, timeoutMs, probe);
      expect(failuresLeft).toBe(0);
      expect(committed).toEqual(records.map((r) => r.value.n));
    });

    it('gives every consumer group its own copy of each record', async () => {
      const topic = jsonTopic<Msg>(`contract.groups.${randomUUID()}`);
      const a: number[] = [];
      const b: number[] = [];
      const probe: { notify?: () => void } = {};
      await bus.subscribe(topic, { group: `a-${randomUUID()}` }, async (batch) => {
        a.push(...batch.values.map((v) => v.n));
        probe.notify?.();
      });
      await bus.subscribe(topic, { group: `b-${randomUUID()}` }, async (batch) => {
        b.push(...batch.values.map((v) => v.n));
        probe.notify?.();
      });
      await bus.publish(
        topic,
        Array.from({ length: 20 }, (_, n) => ({ key: 'k', value: { key: 'k', n } })),
      );
      await until(() => a.length >= 20 && b.length >= 20, timeoutMs, probe);
      expect(a.sort((x, y) => x - y)).toEqual(b.sort((x, y) => x - y));
      expect(a).toHaveLength(20);
    });

    it('starts a startAt "latest" broadcast subscriber at the end: it sees new records, never older ones', async () => {
      const topic = jsonTopic<Msg>(`contract.latest.${randomUUID()}`);
      const durable: number[] = [];
      const live: number[] = [];
      const probe: { notify?: () => void } = {};
      await bus.subscribe(topic, { group: `d-${randomUUID()}` }, async (batch) => {
        durable.push(...batch.values.map((v) => v.n));
        probe.notify?.();
      });
      await bus.publish(topic, [{ key: 'k', value: { key: 'k', n: -1 } }]);
      await until(() => durable.includes(-1), timeoutMs, probe);
      await bus.subscribe(
        topic,
        { group: `live-${randomUUID()}`, broadcast: true, startAt: 'latest' },
        async (batch) => {
          live.push(...batch.values.map((v) => v.n));
          probe.notify?.();
        },
      );
      // Kafka resolves "latest" when the new member first fetches, a moment after subscribe resolved:
      // publish until the live subscriber sees a record (bounded), then check it never saw the old one.
      for (let n = 0; n < 50 && live.length === 0; n++) {
        await bus.publish(topic, [{ key: 'k', value: { key: 'k', n } }]);
        await until(() => live.length > 0 || durable.includes(n), timeoutMs, probe);
        if (live.length === 0) await until(() => live.length > 0, 200, probe).catch(() => undefined);
      }
      expect(live.length).toBeGreaterThan(0);
      expect(live).not.toContain(-1);
      expect(live).toEqual([...live].sort((x, y) => x - y));
    });

    it('calls onAssignment with the consumed partitions before handing over any of their batches', async () => {
      const topic = jsonTopic<Msg>(`contract.assign.${randomUUID()}`);
      const assigned = new Set<number>();
      const handledOutside: number[] = [];
      let seen = 0;
      const probe: { notify?: () => void } = {};
      await bus.subscribe(
        topic,
        {
          group: `g-${randomUUID()}`,
          onAssignment: async (a) => {
            // A slow state load: batches must wait for it.
            await new Promise((r) => setTimeout(r, 200));
            for (const p of a.revoked) assigned.delete(p);
            for (const p of a.added) assigned.add(p);
            expect(a.partitions).toEqual([...assigned].sort((x, y) => x - y));
          },
        },
        async (batch) => {
          if (!assigned.has(batch.partition)) handledOutside.push(batch.partition);
          seen += batch.values.length;
          probe.notify?.();
        },
      );
      await bus.publish(
        topic,
        Array.from({ length: 40 }, (_, n) => ({ key: `tag-${n % 9}`, value: { key: `tag-${n % 9}`, n } })),
      );
      await until(() => seen >= 40, timeoutMs, probe);
      expect(assigned.size).toBeGreaterThan(0);
      expect(handledOutside).toEqual([]);
    });

    it('keeps the latest value per key of a compacted topic and reads a partition to its end', async () => {
      const topic = { ...jsonTopic<Msg>(`contract.compacted.${randomUUID()}`), compacted: true };
      await bus.publish(topic, [
        { key: 'a', value: { key: 'a', n: 1 }, partition: 0 },
        { key: 'b', value: { key: 'b', n: 1 }, partition: 0 },
        { key: 'c', value: { key: 'c', n: 1 }, partition: 0 },
      ]);
      await bus.publish(topic, [
        { key: 'a', value: { key: 'a', n: 2 }, partition: 0 },
        { key: 'b', value: null as unknown as Msg, partition: 0 },
      ]);
      // Reading folds the partition into a table: the last value per key wins, null deletes.
      const table = new Map<string, number>();
      await bus.readToEnd(topic, [0], (batch) => {
        expect(batch.partition).toBe(0);
        batch.values.forEach((v, i) => {
          if (v === null) table.delete(batch.keys[i]);
          else table.set(batch.keys[i], v.n);
        });
      });
      expect(Object.fromEntries(table)).toEqual({ a: 2, c: 1 });
      // Nothing to read resolves at once.
      let calls = 0;
      await bus.readToEnd(jsonTopic<Msg>(`contract.empty.${randomUUID()}`), [0], () => calls++);
      expect(calls).toBe(0);
    });

    it('refuses records after close', async () => {
      const topic = jsonTopic<Msg>(`contract.closed.${randomUUID()}`);
      await bus.close();
      await expect(bus.publish(topic, [{ key: 'k', value: { key: 'k', n: 1 } }])).rejects.toMatchObject({
        retriable: true,
      });
      expect(bus.isHealthy()).toBe(false);
      bus = await makeBus(); // afterEach closes a fresh one
      await bus.start();
    });
  });
}
