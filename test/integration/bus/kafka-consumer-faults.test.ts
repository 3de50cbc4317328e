import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { KafkaBus, type BusHealth, type ConsumerCrash } from '@coldchain/bus';
import { jsonTopic } from '@coldchain/contract';
import { EngineUnavailableError } from '@coldchain/errors';
import { ensureInfra, type Endpoints } from '../../support/infra.js';
import { eventually } from '../../support/process.js';

// A handler that fails on Kafka: a retriable failure is retried in place until it passes; a
// non-retriable one (a bug: a plain Error) fails the consumer after a few attempts, without
// committing past the batch, and the consumer supervisor restarts it (bounded) and reports it.

let endpoints: Endpoints;
const buses: KafkaBus[] = [];

beforeAll(async () => {
  endpoints = await ensureInfra(['kafka']);
}, 600_000);

afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
});

interface Probe {
  bus: KafkaBus;
  crashes: ConsumerCrash[];
  errors: string[];
  healths: BusHealth[];
}

async function startBus(restart: { initialMs: number; attempts: number }): Promise<Probe> {
  const crashes: ConsumerCrash[] = [];
  const errors: string[] = [];
  const bus = new KafkaBus({
    brokers: endpoints.kafkaBrokers,
    clientId: `it-faults-${randomUUID()}`,
    partitions: 1,
    log: { log: () => undefined, warn: () => undefined, error: (m) => errors.push(m) },
    consumerRestart: { initialMs: restart.initialMs, maxMs: restart.initialMs, attempts: restart.attempts },
    onConsumerCrash: (c) => crashes.push(c),
  });
  buses.push(bus);
  await bus.start();
  return { bus, crashes, errors, healths: [] };
}

describe('Kafka consumer faults', () => {
  it('retries an EngineUnavailableError in place until the handler succeeds, without a crash', async () => {
    const probe = await startBus({ initialMs: 100, attempts: 2 });
    const topic = jsonTopic<{ n: number }>(`it.faults.retriable.${randomUUID()}`);
    let calls = 0;
    const handled: number[] = [];
    await probe.bus.subscribe(topic, { group: `g-${randomUUID()}` }, async ({ values }) => {
      calls++;
      if (calls <= 3) throw new EngineUnavailableError('influxdb', 'stopped for the test');
      handled.push(...values.map((v) => v.n));
    });
    await probe.bus.publish(topic, [{ key: 'k', value: { n: 1 } }]);
    await eventually(async () => (handled.length > 0 ? true : undefined), 30_000, 'the record handled');
    expect(handled).toEqual([1]);
    expect(calls).toBe(4);
    expect(probe.crashes).toEqual([]);
    expect(probe.bus.health()).toEqual({ state: 'up' });
  }, 60_000);

  it('fails the consumer on a plain Error instead of retrying it forever, and leaves it down past the restart bound', async () => {
    const probe = await startBus({ initialMs: 200, attempts: 2 });
    const topic = jsonTopic<{ n: number }>(`it.faults.bug.${randomUUID()}`);
    let calls = 0;
    await probe.bus.subscribe(topic, { group: `g-${randomUUID()}` }, async () => {
      calls++;
      throw new Error('a bug in the handler');
    });
    await probe.bus.publish(topic, [{ key: 'k', value: { n: 1 } }]);
    // 3 attempts per run, 1 run + 2 supervised restarts, then left down.
    const health = await eventually(
      async () => {
        const h = probe.bus.health();
        return h.state === 'down' ? h : undefined;
      },
      60_000,
      'the consumer left down',
    );
    expect(health.reason).toContain('a bug in the handler');
    expect(probe.crashes.map((c) => c.restartBy)).toEqual(['supervisor', 'supervisor', 'none']);
    expect(calls).toBe(9);
    expect(probe.errors.some((e) => e.includes('left stopped'))).toBe(true);
    // Left down: no further attempt.
    await new Promise((r) => setTimeout(r, 1500));
    expect(calls).toBe(9);
  }, 90_000);

  it('reports a crashed consumer on health, restarts it and resumes consumption', async () => {
    const probe = await startBus({ initialMs: 1500, attempts: 3 });
    const topic = jsonTopic<{ n: number }>(`it.faults.crash.${randomUUID()}`);
    let calls = 0;
    const handled: number[] = [];
    await probe.bus.subscribe(topic, { group: `g-${randomUUID()}` }, async ({ values }) => {
      calls++;
      // The first run's three attempts fail with a bug kafkajs treats as fatal (not retriable).
      if (calls <= 3) throw new Error('transient bug');
      handled.push(...values.map((v) => v.n));
    });
    await probe.bus.publish(topic, [
      { key: 'k', value: { n: 1 } },
      { key: 'k', value: { n: 2 } },
    ]);
    const degraded = await eventually(
      async () => {
        const h = probe.bus.health();
        return h.state === 'degraded' ? h : undefined;
      },
      30_000,
      'the crash reported on health',
    );
    expect(degraded.reason).toContain('transient bug');
    await eventually(async () => (handled.length >= 2 ? true : undefined), 30_000, 'consumption resumed');
    expect(handled).toEqual([1, 2]);
    expect(probe.crashes).toEqual([expect.objectContaining({ restartBy: 'supervisor' })]);
    await eventually(
      async () => (probe.bus.health().state === 'up' ? true : undefined),
      10_000,
      'health up again',
    );
    // Consumption goes on after the restart.
    await probe.bus.publish(topic, [{ key: 'k', value: { n: 3 } }]);
    await eventually(async () => (handled.includes(3) ? true : undefined), 30_000, 'a later record handled');
  }, 90_000);
});
