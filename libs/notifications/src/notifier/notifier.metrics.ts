import { Histogram, type Registry } from 'prom-client';

/** Seconds, from a few ms (an idle stack) to the delays of a backlog. */
const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The notifier's latency metrics, beside the platform's (same registry, same
 * /metrics): together with an alert's `emittedAt` they tell where the time
 * from an alarm to a provider's acceptance goes.
 * - `coldchain_notifier_alert_age_seconds`: how old an alert event is when its
 *   batch reaches the notifier (now − `emittedAt`): ingest's publish, Kafka,
 *   the consumer's fetch.
 * - `coldchain_notification_provider_seconds{channel, outcome}`: one provider
 *   call (`NotificationChannel.send`), from the request to the provider's
 *   answer (SMTP dialogue up to `250`, Twilio's `201`), rendering excluded.
 */
export class NotifierMetrics {
  readonly alertAge: Histogram;
  readonly providerSeconds: Histogram<'channel' | 'outcome'>;

  constructor(registry: Registry) {
    // One set per registry: a second notifier on the same registry (tests, a re-created module) shares it.
    this.alertAge =
      (registry.getSingleMetric('coldchain_notifier_alert_age_seconds') as Histogram | undefined) ??
      new Histogram({
        name: 'coldchain_notifier_alert_age_seconds',
        help: 'Age of an alert event (now - emittedAt) when its batch reaches the notifier.',
        buckets: LATENCY_BUCKETS_S,
        registers: [registry],
      });
    this.providerSeconds =
      (registry.getSingleMetric('coldchain_notification_provider_seconds') as
        Histogram<'channel' | 'outcome'> | undefined) ??
      new Histogram({
        name: 'coldchain_notification_provider_seconds',
        help: 'Duration of one provider call (SMTP up to 250, Twilio up to 201), by channel and outcome.',
        labelNames: ['channel', 'outcome'] as const,
        buckets: LATENCY_BUCKETS_S,
        registers: [registry],
      });
  }
}
