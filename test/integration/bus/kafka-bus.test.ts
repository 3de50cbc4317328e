import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { KafkaBus } from '@coldchain/bus';
import { bundledJsonTopic, jsonTopic } from '@coldchain/contract';
import { Kafka, logLevel } from 'kafkajs';
import { busContract } from '../../contracts/bus.contract.js';
import { ensureInfra, type Endpoints } from '../../support/infra.js';
import { eventually } from '../../support/process.js';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
let endpoints: Endpoints;

beforeAll(async () => {
  endpoints = await ensureInfra(['kafka']);
}, 600_000);

busContract(
  'kafka',
  async () => new KafkaBus({ brokers: endpoints.kafkaBrokers, clientId: `it-${randomUUID()}`, log: quiet }),
  60_000,
);

describe('KafkaBus specifics', () => {
  let bus: KafkaBus;
  beforeAll(async () => {
    bus = new KafkaBus({
      brokers: endpoints.kafkaBrokers,
      clientId: `it-${randomUUID()}`,
      partitions: 4,
      log: quiet,
    });
    await bus.start();
  });
  afterAll(async () => {
    await bus.close();
  });

  it('bundles a topic into few Kafka records, each record in the partition its key hashes to, and still reads unbundled records', async () => {
    const name = `it.bundles.${randomUUID()}`;
    const bundled = bundledJsonTopic<{ key: string; n: number }>(name);
    const plain = jsonTopic<{ key: string; n: number }>(`it.plain.${randomUUID()}`);
    const records = Array.from({ length: 900 }, (_, n) => ({
      key: `AA:BB:CC:00:00:${String(n % 41).padStart(2, '0')}`,
      value: { key: `AA:BB:CC:00:00:${String(n % 41).padStart(2, '0')}`, n },
    }));
    await Promise.all([0, 1, 2].map((i) => bus.publish(bundled, records.slice(i * 300, (i + 1) * 300))));
    await bus.publish(plain, records);
    // Another producer's single, unbundled record on the bundled topic.
    const raw = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await raw.connect();
    await raw.send({
      topic: name,
      messages: [{ key: 'k-raw', value: JSON.stringify({ key: 'k-raw', n: 900 }) }],
    });
    await raw.disconnect();

    const partitionOf = async (topic: typeof plain, count: number) => {
      const seen = new Map<string, Set<number>>();
      const order = new Map<string, number[]>();
      let n = 0;
      let done!: () => void;
      const all = new Promise<void>((r) => (done = r));
      const sub = await bus.subscribe(
        topic,
        { group: `g-${randomUUID()}`, maxBatchRecords: 64 },
        async (b) => {
          b.values.forEach((v, i) => {
            expect(b.keys[i]).toBe(v.key);
            if (!seen.has(v.key)) seen.set(v.key, new Set());
            seen.get(v.key)!.add(b.partition);
            if (!order.has(v.key)) order.set(v.key, []);
            order.get(v.key)!.push(v.n);
          });
          n += b.values.length;
          if (n >= count) done();
        },
      );
      await all;
      await sub.close();
      return { seen, order, n };
    };
    const viaBundles = await partitionOf(bundled, 901);
    const viaRecords = await partitionOf(plain, 900);
    expect(viaBundles.n).toBe(901);
    expect(viaBundles.seen.get('k-raw')?.size).toBe(1);
    for (const [key, parts] of viaRecords.seen) {
      expect(parts.size).toBe(1);
      expect([...viaBundles.seen.get(key)!]).toEqual([...parts]);
      const ns = viaBundles.order.get(key)!;
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
      expect(ns).toHaveLength(viaRecords.order.get(key)!.length);
    }
    // Far fewer Kafka records than published records: one bundle per partition and produce request at most.
    const admin = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const kafkaRecords = (await admin.fetchTopicOffsets(name)).reduce((sum, o) => sum + Number(o.high), 0);
    await admin.disconnect();
    expect(kafkaRecords).toBeLessThanOrEqual(3 * 4 + 1);
  });

  it('commits checkpointed subscriptions only after beforeCommit: a failed checkpoint leaves the batches to the next member, a good one does not', async () => {
    const topic = jsonTopic<number>(`it.checkpoint.${randomUUID()}`);
    const group = `g-${randomUUID()}`;
    const consume = async (until: number, flushOk: boolean) => {
      const seen: number[] = [];
      let flushes = 0;
      let done!: () => void;
      const all = new Promise<void>((r) => (done = r));
      const sub = await bus.subscribe(
        topic,
        {
          group,
          commit: {
            intervalMs: 100,
            beforeCommit: async () => {
              flushes++;
              if (!flushOk) throw new Error('changelog away');
            },
          },
        },
        async (b) => {
          seen.push(...b.values);
          if (seen.length >= until) done();
        },
      );
      await all;
      // Idle now: the checkpoint timer still runs, and closing runs a last one.
      await eventually(
        async () => (flushes > 0 ? flushes : undefined),
        10_000,
        'a checkpoint of the idle consumer',
      );
      await sub.close();
      return seen;
    };
    await bus.publish(
      topic,
      Array.from({ length: 60 }, (_, n) => ({ key: `k${n % 3}`, value: n })),
    );
    const first = await consume(60, false);
    // Nothing was committed: the next member reads all 60 again, and this time its checkpoint holds.
    const second = await consume(60, true);
    await bus.publish(
      topic,
      Array.from({ length: 20 }, (_, n) => ({ key: `k${n % 3}`, value: 60 + n })),
    );
    const third = await consume(20, true);
    expect(first.sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, n) => n));
    expect(second.sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, n) => n));
    expect(third.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => 60 + n));
  });

  it('checkpoints the partitions of a checkpointed subscription in turn, one per beforeCommit, and every partition left at close in one', async () => {
    const topic = jsonTopic<number>(`it.turns.${randomUUID()}`);
    const group = `g-${randomUUID()}`;
    const consume = async (intervalMs: number, until: number, waitFor: (calls: number[][]) => boolean) => {
      const calls: number[][] = [];
      const partitions = new Set<number>();
      const values: number[] = [];
      let done!: () => void;
      const all = new Promise<void>((r) => (done = r));
      const sub = await bus.subscribe(
        topic,
        {
          group,
          commit: { intervalMs, beforeCommit: async (ps) => void calls.push([...ps].sort((a, b) => a - b)) },
        },
        async (b) => {
          partitions.add(b.partition);
          values.push(...b.values);
          if (values.length >= until) done();
        },
      );
      await all;
      await eventually(async () => (waitFor(calls) ? true : undefined), 20_000, 'the checkpoints awaited');
      const beforeClose = calls.length;
      await sub.close();
      return {
        calls,
        beforeClose,
        partitions: [...partitions].sort((a, b) => a - b),
        values: values.sort((a, b) => a - b),
      };
    };
    const publish = (from: number, n: number) =>
      bus.publish(
        topic,
        Array.from({ length: n }, (_, i) => ({ key: `k${i % 16}`, value: from + i })),
      );

    // Short interval: the timer takes the partitions one at a time until each was checkpointed.
    await publish(0, 64);
    const turns = await consume(2000, 64, (calls) => new Set(calls.flat()).size >= 4);
    expect(turns.partitions).toEqual([0, 1, 2, 3]);
    for (const call of turns.calls.slice(0, turns.beforeClose)) expect(call).toHaveLength(1);
    expect(new Set(turns.calls.slice(0, turns.beforeClose).flat())).toEqual(new Set([0, 1, 2, 3]));

    // Long interval: no turn comes before the close, which checkpoints every partition handled in one call.
    await publish(64, 64);
    const atClose = await consume(600_000, 64, () => true);
    expect(atClose.calls).toEqual([[0, 1, 2, 3]]);

    // Both committed what they checkpointed: the next member reads only what is new.
    await publish(128, 8);
    const next = await consume(600_000, 8, () => true);
    expect(next.values).toEqual(Array.from({ length: 8 }, (_, i) => 128 + i));
    const admin = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic.name] });
    const ends = await admin.fetchTopicOffsets(topic.name);
    await admin.disconnect();
    const sum = (xs: { offset?: string; high?: string }[], k: 'offset' | 'high') =>
      xs.reduce((t, x) => t + Number(x[k]), 0);
    expect(sum(committed.partitions, 'offset')).toBe(sum(ends, 'high'));
  });

  it.each(['one record per value', 'bundled'])(
    'cuts a publish larger than a request may be (%s), so that a broker on the default 1 MiB record batch limit takes it, in order',
    async (kind) => {
      const name = `it.large.${randomUUID()}`;
      const admin = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      // Kafka's default limit, set on the topic (the shared test broker allows 16 MiB).
      await admin.createTopics({
        topics: [
          { topic: name, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '1048576' }] },
        ],
        waitForLeaders: true,
      });
      await admin.disconnect();
      type Value = { n: number; pad: string };
      const topic = kind === 'bundled' ? bundledJsonTopic<Value>(name) : jsonTopic<Value>(name);
      // 3,000 records of ≈ 1.6 KB (≈ 4.8 MB) in one call, as a checkpoint's state snapshots or a
      // backfill's many-reading records come.
      const pad = 'x'.repeat(1_600);
      await bus.publish(
        topic,
        Array.from({ length: 3_000 }, (_, n) => ({ key: `k${n % 50}`, value: { n, pad } })),
      );
      const seen: number[] = [];
      let done!: () => void;
      const all = new Promise<void>((r) => (done = r));
      const sub = await bus.subscribe(topic, { group: `g-${randomUUID()}` }, async (b) => {
        seen.push(...b.values.map((v) => v.n));
        if (seen.length >= 3_000) done();
      });
      await all;
      await sub.close();
      expect(seen).toEqual(Array.from({ length: 3_000 }, (_, n) => n));
    },
  );

  it('reads a changelog partition larger than one fetch returns (maxBytesPerPartition) to its end', async () => {
    const topic = {
      ...jsonTopic<{ n: number; pad: string } | null>(`it.changelog.${randomUUID()}`),
      compacted: true,
    };
    // 3,000 snapshots of ≈ 1.6 KB (≈ 4.8 MB) in one partition: more than one fetch (4 MiB per partition) holds.
    const pad = 'x'.repeat(1_600);
    await bus.publish(
      topic,
      Array.from({ length: 3_000 }, (_, n) => ({ key: `tag-${n}`, value: { n, pad }, partition: 0 })),
    );
    const keys = new Set<string>();
    let last = -1;
    let ordered = true;
    await bus.readToEnd(topic, [0], (b) => {
      for (let i = 0; i < b.values.length; i++) {
        keys.add(b.keys[i]);
        const n = b.values[i]!.n;
        if (n <= last) ordered = false;
        last = n;
      }
    });
    expect(keys.size).toBe(3_000);
    expect(ordered).toBe(true);
  });

  it('resumes a group from its last commit: a second consumer of the same group sees only what the first did not commit', async () => {
    const topic = jsonTopic<number>(`it.resume.${randomUUID()}`);
    const group = `g-${randomUUID()}`;
    const first: number[] = [];
    let done!: () => void;
    const firstDone = new Promise<void>((r) => (done = r));
    const sub = await bus.subscribe(topic, { group }, async (batch) => {
      first.push(...batch.values);
      if (first.length >= 100) done();
    });
    await bus.publish(
      topic,
      Array.from({ length: 100 }, (_, n) => ({ key: `k${n % 5}`, value: n })),
    );
    await firstDone;
    await sub.close();

    await bus.publish(
      topic,
      Array.from({ length: 50 }, (_, n) => ({ key: `k${n % 5}`, value: 100 + n })),
    );
    const second: number[] = [];
    let done2!: () => void;
    const secondDone = new Promise<void>((r) => (done2 = r));
    const sub2 = await bus.subscribe(topic, { group }, async (batch) => {
      second.push(...batch.values);
      if (second.length >= 50) done2();
    });
    await secondDone;
    await sub2.close();
    expect(first.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, n) => n));
    expect(second.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, n) => 100 + n));
  });
  it('moves partitions between members of a group, telling each what it gained and lost', async () => {
    const topic = jsonTopic<number>(`it.rebalance.${randomUUID()}`);
    const group = `g-${randomUUID()}`;
    const owned: [Set<number>, Set<number>] = [new Set(), new Set()];
    const mismatches: string[] = [];
    const track = (i: 0 | 1) => (a: { added: number[]; revoked: number[]; partitions: number[] }) => {
      for (const p of a.revoked) owned[i].delete(p);
      for (const p of a.added) owned[i].add(p);
      // Folding the changes must give the assignment the bus reports.
      const folded = [...owned[i]].sort((x, y) => x - y).join(',');
      if (folded !== a.partitions.join(',')) mismatches.push(`${i}: ${folded} vs ${a.partitions.join(',')}`);
    };
    const first = await bus.subscribe(topic, { group, onAssignment: track(0) }, async () => undefined);
    await eventually(async () => (owned[0].size === 4 ? true : undefined), 60_000, 'first owns all');
    const second = await bus.subscribe(topic, { group, onAssignment: track(1) }, async () => undefined);
    await eventually(
      async () =>
        owned[0].size > 0 && owned[1].size > 0 && owned[0].size + owned[1].size === 4 ? true : undefined,
      60_000,
      'partitions split',
    );
    expect([...owned[0]].filter((p) => owned[1].has(p))).toEqual([]);
    expect(mismatches).toEqual([]);
    await second.close();
    await first.close();
  });

  it('gives every broadcast subscriber every record, even in one group name', async () => {
    const topic = jsonTopic<number>(`it.broadcast.${randomUUID()}`);
    await bus.publish(
      topic,
      Array.from({ length: 20 }, (_, n) => ({ key: `k${n % 5}`, value: n })),
    );
    const seen: [number[], number[]] = [[], []];
    const subs = await Promise.all(
      ([0, 1] as const).map((i) =>
        bus.subscribe(topic, { group: 'hub-board', broadcast: true }, async (b) => {
          seen[i].push(...b.values);
        }),
      ),
    );
    await eventually(
      async () => (seen[0].length >= 20 && seen[1].length >= 20 ? true : undefined),
      60_000,
      'both saw everything',
    );
    expect(seen[0].sort((a, b) => a - b)).toEqual(seen[1].sort((a, b) => a - b));
    for (const s of subs) await s.close();
  });
});
