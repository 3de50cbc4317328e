import { describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonTopic } from '@coldchain/contract';
import { busContract } from '../../../test/contracts/bus.contract.js';
import { SqliteCompactedTableStore } from './compacted-table.store.js';
import { InProcessBus } from './in-process-bus.adapter.js';

busContract('in-process', async () => new InProcessBus({ warn: () => undefined }));

describe('InProcessBus specifics', () => {
  it('resolves publish only after the consumer processed the records (ack = stored)', async () => {
    const bus = new InProcessBus({ warn: () => undefined });
    const topic = jsonTopic<number>('t');
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await bus.subscribe(topic, { group: 'g' }, async (batch) => {
      await gate;
      order.push(`handled ${batch.values.join(',')}`);
    });
    const published = bus.publish(topic, [{ key: 'k', value: 1 }]).then(() => order.push('publish resolved'));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    release();
    await published;
    expect(order).toEqual(['handled 1', 'publish resolved']);
    await bus.close();
  });

  it('holds records of a topic nobody consumes yet and hands them to the first group', async () => {
    const bus = new InProcessBus({ warn: () => undefined });
    const topic = jsonTopic<number>('late');
    const published = bus.publish(topic, [
      { key: 'a', value: 1 },
      { key: 'a', value: 2 },
    ]);
    const seen: number[] = [];
    await bus.subscribe(topic, { group: 'g' }, async (batch) => {
      seen.push(...batch.values);
    });
    await published;
    expect(seen).toEqual([1, 2]);
    await bus.close();
  });

  it('drains accepted records on close before resolving', async () => {
    const bus = new InProcessBus({ warn: () => undefined });
    const topic = jsonTopic<number>('drain');
    const seen: number[] = [];
    await bus.subscribe(topic, { group: 'g' }, async (batch) => {
      await new Promise((r) => setTimeout(r, 5));
      seen.push(...batch.values);
    });
    const pending = [1, 2, 3].map((n) => bus.publish(topic, [{ key: 'k', value: n }]));
    await bus.close();
    await Promise.all(pending);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('lets a checkpointed consumer drained at close still write its changelog, and refuses other publishes', async () => {
    const bus = new InProcessBus({ warn: () => undefined });
    const topic = jsonTopic<number>('drain-checkpointed');
    const changelog = { ...jsonTopic<number>('drain-changelog'), compacted: true };
    const other = jsonTopic<number>('drain-other');
    let last = 0;
    await bus.subscribe(
      topic,
      {
        group: 'g',
        commit: {
          intervalMs: 1000,
          beforeCommit: () => bus.publish(changelog, [{ key: 'state', value: last }]),
        },
      },
      async (batch) => {
        await new Promise((r) => setTimeout(r, 5));
        last = batch.values[batch.values.length - 1];
      },
    );
    const pending = [1, 2, 3].map((n) => bus.publish(topic, [{ key: 'k', value: n }]));
    const closed = bus.close();
    await expect(bus.publish(other, [{ key: 'k', value: 1 }])).rejects.toThrow(/shutting down/i);
    await closed;
    await Promise.all(pending);
    const table: [string, unknown][] = [];
    await bus.readToEnd(changelog, [0], (b) => b.values.forEach((v, i) => table.push([b.keys[i], v])));
    expect(table).toEqual([['state', 3]]);
  });

  it('coalesces concurrent publishes into one batch', async () => {
    const bus = new InProcessBus({ warn: () => undefined });
    const topic = jsonTopic<number>('coalesce');
    const sizes: number[] = [];
    await bus.subscribe(topic, { group: 'g' }, async (batch) => {
      sizes.push(batch.values.length);
    });
    await Promise.all(Array.from({ length: 10 }, (_, n) => bus.publish(topic, [{ key: 'k', value: n }])));
    expect(sizes).toEqual([10]);
    await bus.close();
  });
});

describe('InProcessBus with a table store', () => {
  it('keeps compacted topics across a restart of the process (a new bus on the same file)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bus-tables-')), 'bus-tables.db');
    const topic = { ...jsonTopic<{ n: number }>('state'), compacted: true };
    const first = new InProcessBus(
      { warn: () => undefined },
      { tables: new SqliteCompactedTableStore(file) },
    );
    await first.publish(topic, [
      { key: 'a', value: { n: 1 } },
      { key: 'b', value: { n: 1 } },
    ]);
    await first.publish(topic, [
      { key: 'a', value: { n: 2 } },
      { key: 'b', value: null as unknown as { n: number } },
    ]);
    await first.close();

    const second = new InProcessBus(
      { warn: () => undefined },
      { tables: new SqliteCompactedTableStore(file) },
    );
    const seen: [string, unknown][] = [];
    await second.readToEnd(topic, [0], (b) => b.values.forEach((v, i) => seen.push([b.keys[i], v])));
    expect(seen).toEqual([['a', { n: 2 }]]);
    await second.close();
  });
});
