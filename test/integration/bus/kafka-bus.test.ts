import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { KafkaBus, jsonTopic } from '@coldchain/bus';
import { busContract } from '../../contracts/bus.contract.js';
import { ensureInfra, type Endpoints } from '../../support/infra.js';

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
});
