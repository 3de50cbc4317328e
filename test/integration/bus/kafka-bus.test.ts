import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { KafkaBus, jsonTopic } from '@coldchain/bus';
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
