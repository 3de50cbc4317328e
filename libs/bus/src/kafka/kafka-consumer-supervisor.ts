import type { Consumer, ConsumerCrashEvent } from 'kafkajs';
import type { KafkaBusLog } from './kafka-client.js';

/** How a crashed consumer is restarted: backoff doubling from `initialMs` to `maxMs`, `attempts` in a row at most. */
export interface ConsumerRestartPolicy {
  initialMs: number;
  maxMs: number;
  /** Consecutive restarts without a handled batch in between, after which the consumer stays down. */
  attempts: number;
}

/** What `/health` reports of a subscription's consumer. */
export interface ConsumerHealth {
  state: 'up' | 'degraded' | 'down';
  /** Why it is not `up`: the crash's error. */
  reason?: string;
}

/** A consumer crash, as it is reported to the bus's owner (a metric, a log). */
export interface ConsumerCrash {
  group: string;
  error: string;
  /** What happens next: kafkajs restarts it, the supervisor does, or nobody (given up). */
  restartBy: 'kafkajs' | 'supervisor' | 'none';
}

/**
 * Watches one kafkajs consumer's CRASH event. kafkajs restarts a consumer by
 * itself only after a retriable error; after a non-retriable one (a batch
 * that failed with a non-retriable error, a protocol error) it disconnects
 * and stops for good, and nothing else would tell. The supervisor then
 * reports the consumer `degraded` with the reason, and starts it again
 * (`restart`: connect and run, from the group's last commit) with backoff,
 * at most `policy.attempts` times in a row; a handled batch (`progressed`)
 * resets the count. Past that it stays `down`: a batch that keeps failing is
 * never committed past, so it waits in Kafka for a fix and a restart of the
 * process.
 */
export class KafkaConsumerSupervisor {
  private crashes = 0;
  private reason?: string;
  private givenUp = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly consumer: Consumer,
    private readonly group: string,
    private readonly restart: () => Promise<void>,
    private readonly policy: ConsumerRestartPolicy,
    private readonly log: KafkaBusLog,
    private readonly onCrash: (crash: ConsumerCrash) => void,
  ) {
    consumer.on(consumer.events.CRASH, (e) => this.crashed(e));
    // A (re)join means kafkajs (or the supervisor) got the consumer going again; the count of crashes
    // in a row is reset only by a handled batch, so a batch that crashes it each time stays bounded.
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (!this.givenUp) this.reason = undefined;
    });
  }

  health(): ConsumerHealth {
    if (this.givenUp) return { state: 'down', reason: this.reason };
    if (this.reason !== undefined) return { state: 'degraded', reason: this.reason };
    return { state: 'up' };
  }

  /** A batch was handled and committed (or checkpointed): the consumer works again. */
  progressed(): void {
    this.crashes = 0;
  }

  /** No restart after this (the subscription is being closed). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private crashed({ payload }: ConsumerCrashEvent): void {
    const error = payload.error instanceof Error ? payload.error.message : String(payload.error);
    if (this.stopped) return;
    this.reason = `consumer crashed: ${error}`;
    if (payload.restart) {
      this.log.warn(`bus: ${this.group} consumer crashed, kafkajs restarts it: ${error}`);
      this.onCrash({ group: this.group, error, restartBy: 'kafkajs' });
      return;
    }
    this.crashes++;
    if (this.crashes > this.policy.attempts) {
      this.givenUp = true;
      this.log.error(
        `bus: ${this.group} consumer crashed ${this.crashes} times in a row, left stopped ` +
          `(nothing committed past the failing batch): ${error}`,
      );
      this.onCrash({ group: this.group, error, restartBy: 'none' });
      return;
    }
    const delayMs = Math.min(this.policy.initialMs * 2 ** (this.crashes - 1), this.policy.maxMs);
    this.log.error(
      `bus: ${this.group} consumer crashed and kafkajs gave up; restart ${this.crashes}/${this.policy.attempts} ` +
        `in ${delayMs} ms: ${error}`,
    );
    this.onCrash({ group: this.group, error, restartBy: 'supervisor' });
    this.timer = setTimeout(() => void this.restartNow(), delayMs);
  }

  private async restartNow(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.restart();
    } catch (err) {
      // A restart that fails (Kafka away) counts as one more crash.
      this.crashed({
        payload: { error: err as Error, groupId: this.group, restart: false },
      } as ConsumerCrashEvent);
    }
  }
}
