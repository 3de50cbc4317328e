import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { BUS, type BusPort } from '@coldchain/bus';
import { ALERTS_TOPIC } from '@coldchain/contract';
import { loadConfig } from '@coldchain/config';
import { ALERT_LOG_REPOSITORY, type AlertLogRepository } from '@coldchain/metadata-store';
import { bootstrapApp } from '@coldchain/runtime';
import { notifierModules } from '../../../apps/notifier/src/notifier.composition.js';
import { alertEvent } from '../../fixtures/alert-event.fixture.js';
import { ensureInfra } from '../../support/infra.js';
import { eventually } from '../../support/process.js';

/**
 * The notifier app on Kafka, booted as its main does: its alert events arrive
 * through the bus transport (a BusEventPattern controller in a hybrid app),
 * in its consumer group, and are recorded.
 */
describe('notifier on Kafka through the bus transport', () => {
  let app: NestFastifyApplication;
  let brokers: string[];

  beforeAll(async () => {
    brokers = (await ensureInfra(['kafka'])).kafkaBrokers;
    const config = loadConfig({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'cc-it-notifier-')),
      PORT: '0',
      LOG_LEVEL: 'error',
      BUS: 'kafka',
      KAFKA_BROKERS: brokers.join(','),
      // Per run: its own topics and consumer groups.
      KAFKA_NAMESPACE: `it-notifier-${randomUUID()}.`,
    });
    app = await bootstrapApp('Notifier', notifierModules(config), config, { handleSignals: false });
  }, 600_000);

  afterAll(async () => {
    await app?.close();
  });

  it('records an alert event published on the alerts topic', async () => {
    const emittedAt = Date.now();
    const alert = alertEvent({ key: `it:notifier-on-kafka:${emittedAt}`, emittedAt });
    await app.get<BusPort>(BUS).publish(ALERTS_TOPIC, [{ key: alert.tag, value: alert }]);

    const store = app.get<AlertLogRepository>(ALERT_LOG_REPOSITORY);
    const recorded = await eventually(
      async () => (await store.listAlerts(alert.tenantId, 10)).find((a) => a.key === alert.key),
      60_000,
      'the alert recorded',
    );
    expect(recorded).toMatchObject({ key: alert.key, tag: alert.tag, rule: alert.rule });
  }, 90_000);
});
