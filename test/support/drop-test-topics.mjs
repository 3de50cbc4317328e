// Jest globalTeardown of the integration and end-to-end tiers: deletes the Kafka topics the tests
// created. Every test names its topics with a random part (`contract.<tier>.<uuid>`, `it.*.<uuid>`,
// or a per-run namespace `it-…` / `e2e-…`) and none deletes them, so on a machine that runs the
// suite often the broker collects thousands of partitions and starts slower each time (2,390 after
// about 110 runs: `infra/up.sh` gave up waiting for Kafka after 120 s). The tiers run one file at a
// time (maxWorkers 1), so at teardown no test uses them any more; leftovers of earlier runs go too.
// Best effort: no broker (unit-only runs, infra down) or a failed delete only prints a line.
// COLDCHAIN_KEEP_TEST_TOPICS=1 skips it, for runs that share the broker with another run under way
// (several worktrees on one machine): that run's topics would vanish under it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

/** Topic names the tests create; never a topic of the platform's own (`coldchain.*`, bench namespaces). */
const TEST_TOPIC = /^(contract\.|it\.|it-|e2e-)/;

const CONNECT_TIMEOUT_MS = 3_000;
const DELETE_CHUNK = 100;
const DELETE_TIMEOUT_MS = 30_000;

function brokers() {
  const infraDir = process.env.COLDCHAIN_INFRA_DIR ?? path.resolve('.infra');
  try {
    const line = readFileSync(path.join(infraDir, 'endpoints.env'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('KAFKA_BROKERS='));
    return line ? line.slice('KAFKA_BROKERS='.length).trim().split(',') : undefined;
  } catch {
    return undefined;
  }
}

export default async function dropTestTopics() {
  if (process.env.COLDCHAIN_KEEP_TEST_TOPICS === '1') return;
  const list = brokers();
  if (!list) return;
  const admin = new Kafka({
    clientId: 'test-teardown',
    brokers: list,
    connectionTimeout: CONNECT_TIMEOUT_MS,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => TEST_TOPIC.test(t));
    for (let i = 0; i < topics.length; i += DELETE_CHUNK)
      await admin.deleteTopics({ topics: topics.slice(i, i + DELETE_CHUNK), timeout: DELETE_TIMEOUT_MS });
    if (topics.length > 0)
      console.log(`\n[teardown] deleted ${topics.length} Kafka topics the tests created`);
  } catch (err) {
    console.log(`\n[teardown] test topics not deleted (${String(err)})`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
