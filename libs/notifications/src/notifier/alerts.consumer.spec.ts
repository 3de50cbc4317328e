import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BusPort, ConsumedBatch } from '@coldchain/bus';
import { loadConfig } from '@coldchain/config';
import { ManualClock, type AlertEvent } from '@coldchain/domain';
import { MetadataCache, type AlertLogRepository, type MetadataDatabase } from '@coldchain/metadata-store';
import { InMemoryAckAuditLog } from '../ack/in-memory-ack-audit.adapter.js';
import { InMemoryDeliveryLog } from '../delivery/in-memory-delivery-log.adapter.js';
import { ColdchainMetrics, HealthRegistry } from '@coldchain/observability';
import { alertEvent } from '../../../../test/fixtures/alert-event.fixture.js';
import { createChannels } from '../channels/channel.factory.js';
import { channelsConfigFromEnv } from '../config/notifications-env.js';
import { routingDirectoryFrom } from '../routing/routing-directory.js';
import type { AlertNotifier } from './alert-notifier.js';
import { AlertsConsumer } from './alerts.consumer.js';
import type { NotificationLog } from './notifications-store.module.js';
import { NotifierMetrics } from './notifier.metrics.js';
import { TenantNames, alertNotifier, notifierDelivery, notifierLogger } from './notifier.providers.js';

/** The durable log's two ports in memory, as the notifier wires them (one adapter, both ports). */
class InMemoryNotificationLog extends InMemoryDeliveryLog implements NotificationLog {
  private readonly acks = new InMemoryAckAuditLog();
  append: NotificationLog['append'] = (e) => this.acks.append(e);
  listAcks: NotificationLog['listAcks'] = (k) => this.acks.listAcks(k);
  firstAck: NotificationLog['firstAck'] = (k) => this.acks.firstAck(k);
  async close(): Promise<void> {}
  isHealthy(): boolean {
    return true;
  }
}

/** The metadata store as the notifier uses it; `recordAlerts` answers only when the test says so. */
class GatedAlertStore {
  readonly recorded: AlertEvent[] = [];
  private pending: Array<{ events: readonly AlertEvent[]; settle: (err?: Error) => void }> = [];
  recordAlerts(events: readonly AlertEvent[]): Promise<AlertEvent[]> {
    return new Promise((resolve, reject) =>
      this.pending.push({
        events,
        settle: (err) => {
          if (err) return reject(err);
          this.recorded.push(...events);
          resolve([...events]);
        },
      }),
    );
  }
  /** Settles the oldest pending write: recorded, or failed with `err`. */
  release(err?: Error): void {
    this.pending.shift()!.settle(err);
  }
  get waiting(): number {
    return this.pending.length;
  }
  async listAlerts(): Promise<AlertEvent[]> {
    return [...this.recorded];
  }
  async snapshot(): Promise<{ tenants: [] }> {
    return { tenants: [] };
  }
}

/** The tenant whose on-call the routing names. */
const TENANT = 'demo';
const T0 = Date.UTC(2025, 2, 4, 13, 6);
const batchOf = (...values: AlertEvent[]): ConsumedBatch<AlertEvent> => ({
  topic: 'coldchain.alerts.v1',
  partition: 0,
  values,
  keys: values.map((v) => v.tag),
});

describe('AlertsConsumer.handleBatch (apps/notifier)', () => {
  let consumer: AlertsConsumer | undefined;
  let store: GatedAlertStore;
  let log: InMemoryNotificationLog;
  let metrics: ColdchainMetrics;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  let notifier: AlertNotifier;

  function start(): AlertsConsumer {
    store = new GatedAlertStore();
    log = new InMemoryNotificationLog();
    const metadata = store as unknown as AlertLogRepository & MetadataDatabase;
    // No SMTP or Twilio configured: email and SMS go to the outbox file in a temp DATA_DIR.
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'cc-notifier-spec-')) });
    const clock = new ManualClock(T0);
    metrics = new ColdchainMetrics({ defaultMetrics: false });
    const latency = new NotifierMetrics(metrics.registry);
    const channels = createChannels(channelsConfigFromEnv(config, { clock, logger: notifierLogger() }));
    const delivery = notifierDelivery({ config, clock, log, channels, metrics, latency });
    const directory = routingDirectoryFrom({
      tenants: {
        [TENANT]: {
          contacts: [{ id: 'oncall', name: 'On-call', email: 'oncall@demo.test', phone: '+4915112345678' }],
          defaultContacts: ['oncall'],
        },
      },
    });
    const tenants = new TenantNames(metadata);
    notifier = alertNotifier({
      config,
      clock,
      delivery,
      log,
      ackSecret: 's'.repeat(32),
      directory,
      metadata,
      cache: new MetadataCache(metadata),
      tenants,
    });
    consumer = new AlertsConsumer(
      {} as BusPort, // subscribed in onModuleInit only, which these tests do not run
      metadata,
      clock,
      new HealthRegistry(),
      latency,
      notifier,
      delivery,
      channels,
      tenants,
    );
    return consumer;
  }

  afterEach(async () => {
    await consumer?.onApplicationShutdown();
    consumer = undefined;
  });

  const critical = (): AlertEvent =>
    alertEvent({ tenantId: TENANT, emittedAt: T0, key: `demo/AA:BB/temperature.high/${T0}/raised` });
  const sent = async (key: string): Promise<string[]> =>
    (await log.listByAlert(key))
      .filter((r) => r.state === 'sent')
      .map((r) => r.channel)
      .sort();

  it("sends a batch's notifications while the batch is still being recorded, and resolves only once it is recorded", async () => {
    const c = start();
    const alert = critical();
    let resolved = false;
    const handled = c.handleBatch(batchOf(alert)).then(() => (resolved = true));

    await notifier.idle();
    expect(await sent(alert.key)).toEqual(['email', 'sms']);
    expect(store.waiting).toBe(1);
    expect(resolved).toBe(false); // the bus must not commit an alert that is not recorded yet

    store.release();
    await handled;
    expect(store.recorded.map((a) => a.key)).toEqual([alert.key]);
  });

  it('rejects a batch it could not record, so the bus redelivers it, and the redelivery sends nothing twice', async () => {
    const c = start();
    const alert = critical();
    const first = c.handleBatch(batchOf(alert));
    store.release(new Error('database unreachable'));
    await expect(first).rejects.toThrow('database unreachable');
    await notifier.idle();

    const again = c.handleBatch(batchOf(alert));
    store.release();
    await again;
    await notifier.idle();

    const records = await log.listByAlert(alert.key);
    expect(records.map((r) => [r.channel, r.state, r.attempts]).sort()).toEqual([
      ['email', 'sent', 1],
      ['sms', 'sent', 1],
    ]);
    expect(store.recorded.map((a) => a.key)).toEqual([alert.key]);
  });

  it("exposes each alert's age on arrival and each provider call on the notifier's /metrics", async () => {
    const c = start();
    const alert = { ...critical(), emittedAt: T0 - 2_000 }; // emitted 2 s before the notifier's clock
    const handled = c.handleBatch(batchOf(alert));
    store.release();
    await handled;
    await notifier.idle();

    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^coldchain_notifier_alert_age_seconds_sum 2$/m);
    expect(text).toMatch(/^coldchain_notifier_alert_age_seconds_count 1$/m);
    for (const channel of ['email:outbox', 'sms:outbox'])
      expect(text).toContain(
        `coldchain_notification_provider_seconds_count{channel="${channel}",outcome="accepted"} 1`,
      );
  });

  it('refuses an alert without a tenant: nobody is notified, nothing is recorded, the rest of the batch goes on', async () => {
    const c = start();
    const errors: string[] = [];
    Logger.overrideLogger({ log() {}, warn() {}, error: (m: unknown) => errors.push(String(m)) });
    try {
      const orphan = { ...critical(), tenantId: '', key: `/AA:BB/temperature.high/${T0}/raised` };
      const alert = critical();
      const handled = c.handleBatch(batchOf(orphan, alert));
      store.release();
      await handled;
      await notifier.idle();

      expect(await log.listByAlert(orphan.key)).toEqual([]);
      expect(store.recorded.map((a) => a.key)).toEqual([alert.key]);
      expect(await sent(alert.key)).toEqual(['email', 'sms']);
      expect(errors).toEqual([`alert ${orphan.key}: no tenant; not routed, not recorded`]);
    } finally {
      Logger.overrideLogger(false);
    }
  });
});
