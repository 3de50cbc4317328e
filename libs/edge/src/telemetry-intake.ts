import {
  boundDeadLetter,
  deadLetterPayload,
  decodeTelemetryV1,
  type DeadLetter,
  type RejectReason,
  HUB_STATUS_TOPIC,
  TELEMETRY_DLQ_TOPIC,
  TELEMETRY_TOPIC,
} from '@coldchain/contract';
import type { BusPort, BusRecord } from '@coldchain/bus';
import type { Clock, Measurement, TelemetryRecord } from '@coldchain/domain';
import type { HubRecord } from '@coldchain/metadata-store';
import type { ColdchainMetrics } from '@coldchain/observability';
import { DeadLetterRateLimit } from './dead-letter-rate-limit.js';
import { EDGE_DEFAULTS, type DeadLetterLimits } from './edge.defaults.js';
import type { HubDirectory } from './hub-access.policy.js';

/**
 * Bucket of the senders refused before they were authenticated (`refuse`):
 * the hub they name is their own choice, so they share one rate limit
 * instead of getting one each.
 */
const UNAUTHENTICATED = '\u0000unauthenticated';

/** What a dead letter says about a refusal, before the payload fields. */
type Refusal = Pick<DeadLetter, 'topic' | 'hub' | 'receivedAt' | 'reason' | 'detail' | 'rejections'>;

/** What happened to one message; the MQTT edge acknowledges once this resolves. */
export interface IntakeOutcome {
  accepted: number;
  rejected: number;
  /** Set when the whole message was refused. */
  reason?: RejectReason;
}

/**
 * Turns one hub message into bus records: validates it with the contract,
 * keeps only readings of tags registered to the hub's tenant, groups them by
 * tag (one {@link TelemetryRecord} per tag, keyed by MAC so each tag's readings
 * stay ordered), and dead-letters what was refused: the payload's first
 * 4 KiB (DEAD_LETTER_LIMITS), its size and SHA-256, within a per-hub rate limit
 * (over it, a letter is counted in `coldchain_dead_letters_suppressed_total`
 * and dropped; the hub's readings are not affected).
 *
 * Contract: resolves once the bus holds every record of the message (accepted
 * and dead-lettered), so the caller may PUBACK; rejects (retriable) when the
 * bus could not take them, and the caller must not acknowledge. Bad input never
 * rejects: it is dead-lettered and acknowledged, since resending cannot fix it.
 */
export class TelemetryIntake {
  private readonly deadLetterRate: DeadLetterRateLimit;

  constructor(
    private readonly bus: BusPort,
    private readonly directory: HubDirectory,
    private readonly metrics: ColdchainMetrics,
    private readonly clock: Clock,
    limits: Partial<DeadLetterLimits> = {},
  ) {
    const { deadLetterBurst, deadLetterRefillPerMinute, deadLetterTrackedHubs } = {
      ...EDGE_DEFAULTS,
      ...limits,
    };
    this.deadLetterRate = new DeadLetterRateLimit(
      {
        burst: deadLetterBurst,
        refillPerMinute: deadLetterRefillPerMinute,
        trackedHubs: deadLetterTrackedHubs,
      },
      clock,
    );
  }

  async handle(hub: HubRecord, topic: string, payload: Buffer): Promise<IntakeOutcome> {
    const receivedAt = this.clock.now();
    this.metrics.messagesReceived.inc();
    const tenantId = hub.tenantId;
    const result = decodeTelemetryV1(
      payload,
      hub.imei,
      (mac) => this.directory.tag(tenantId, mac) !== undefined,
    );

    if (!result.ok) {
      // A refused message counts its readings, at least 1 (a malformed one counts as one).
      const readings = Math.max(1, result.readingCount);
      this.metrics.rejected(result.reason, readings);
      await this.deadLetter(
        hub.imei,
        { topic, hub: hub.imei, receivedAt, reason: result.reason, detail: result.detail, rejections: [] },
        payload,
      );
      return { accepted: 0, rejected: readings, reason: result.reason };
    }

    const { message, rejected } = result;
    const byTag = new Map<string, Measurement[]>();
    for (let i = 0; i < message.readings.length; i++) {
      const list = byTag.get(message.tags[i]);
      if (list) list.push(message.readings[i]);
      else byTag.set(message.tags[i], [message.readings[i]]);
    }
    const records: BusRecord<TelemetryRecord>[] = [];
    for (const [tag, readings] of byTag) {
      const value: TelemetryRecord = {
        v: 1,
        tenantId,
        hub: hub.imei,
        tag,
        hubSeq: message.seq,
        sentAt: message.sentAt,
        receivedAt,
        readings,
      };
      if (message.gps) value.gps = message.gps;
      records.push({ key: tag, value });
    }

    const pending: Promise<void>[] = [this.bus.publish(TELEMETRY_TOPIC, records)];
    if (rejected.length > 0) {
      for (const r of rejected) this.metrics.rejected(r.reason, 1);
      pending.push(
        this.deadLetter(
          hub.imei,
          {
            topic,
            hub: hub.imei,
            receivedAt,
            reason: rejected[0].reason,
            detail: rejected[0].detail,
            rejections: rejected,
          },
          payload,
        ),
      );
    }
    await Promise.all(pending);
    return { accepted: message.readings.length, rejected: rejected.filter((r) => r.index >= 0).length };
  }

  /** Refuses a whole message before validation (for example `unknown_hub`): counted and dead-lettered. */
  async refuse(
    topic: string,
    hub: string,
    payload: Buffer,
    reason: RejectReason,
    detail: string,
  ): Promise<void> {
    this.metrics.messagesReceived.inc();
    this.metrics.rejected(reason, 1);
    await this.deadLetter(
      UNAUTHENTICATED,
      { topic, hub, receivedAt: this.clock.now(), reason, detail, rejections: [] },
      payload,
    );
  }

  /**
   * The status of a hub the platform does not know: counted, not
   * dead-lettered. A status carries no readings to recover, and a broker
   * hands every retained status to each new subscriber, so letters for them
   * would spend the shared budget of unauthenticated senders (see `refuse`)
   * at every gateway start and crowd out the telemetry letters that matter.
   */
  unknownHubStatus(retained: boolean): void {
    this.metrics.unknownHubStatuses.inc({ retained: retained ? 'true' : 'false' });
  }

  /** A hub's own `online`/`offline` (its last will says offline); anything else is ignored. */
  async status(hub: HubRecord, payload: Buffer): Promise<void> {
    const text = payload.toString('utf8').trim();
    if (text !== 'online' && text !== 'offline') return;
    await this.bus.publish(HUB_STATUS_TOPIC, [
      {
        key: hub.imei,
        value: { v: 1, hub: hub.imei, tenantId: hub.tenantId, status: text, at: this.clock.now() },
      },
    ]);
  }

  /** Publishes a bounded dead letter, or only counts it when `bucket` (the sender's rate limit) is empty. */
  private async deadLetter(bucket: string, refusal: Refusal, payload: Buffer): Promise<void> {
    const admission = this.deadLetterRate.take(bucket);
    if (!admission.admitted) {
      this.metrics.deadLettersSuppressed.inc({ reason: refusal.reason });
      return;
    }
    // Hashed only once admitted: a flood costs a counter increment per message, not a SHA-256.
    const letter: DeadLetter = boundDeadLetter({
      v: 1,
      ...refusal,
      ...deadLetterPayload(payload),
      suppressed: admission.suppressed,
    });
    this.metrics.deadLetters.inc({ reason: refusal.reason });
    await this.bus.publish(TELEMETRY_DLQ_TOPIC, [{ key: letter.hub, value: letter }]);
  }
}
