import { Kafka, logLevel as KafkaLogLevel, type LogEntry } from 'kafkajs';
import { kafkaClientSecurity, type KafkaSecurity } from '../kafka-security.js';
import { KAFKA_BUS_DEFAULTS } from './kafka-bus.defaults.js';
import type { KafkaTopicAdmin } from './kafka-topic-admin.js';

/** Where the adapter's own lines and kafkajs's warnings and errors go. */
export interface KafkaBusLog {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What the producer, the group consumer and the changelog reader share: one client, one admin, one log. */
export interface KafkaBusParts {
  readonly kafka: Kafka;
  /** Creates topics and knows their (namespaced) names and partition counts. */
  readonly topics: KafkaTopicAdmin;
  readonly log: KafkaBusLog;
}

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  security?: KafkaSecurity;
  log: KafkaBusLog;
}

/** A kafkajs client logging at WARN and above into `log`, each entry cut to about 300 characters of context. */
export function createKafkaClient({ brokers, clientId, security, log }: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId,
    brokers,
    ...kafkaClientSecurity(security),
    logLevel: KafkaLogLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        const line = `kafka ${namespace}: ${message} ${JSON.stringify(rest).slice(0, 300)}`;
        if (level <= KafkaLogLevel.ERROR) log.error(line);
        else log.warn(line);
      },
    retry: { initialRetryTime: 100, retries: 8 },
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A broker that just (re)started, or a topic created a moment ago, may be
 * missing from some metadata for a short while (UNKNOWN_TOPIC_OR_PARTITION and
 * other errors kafkajs marks retriable): retry briefly, then give up.
 */
export async function retryMetadataRace<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (err) {
      if (!(err as { retriable?: boolean }).retriable || attempt >= KAFKA_BUS_DEFAULTS.metadataAttempts)
        throw err;
      await sleep(KAFKA_BUS_DEFAULTS.retryInitialMs * attempt);
    }
  }
}
