import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { jsonTopic, type BusPort, type ConsumedBatch } from '@coldchain/bus';
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
