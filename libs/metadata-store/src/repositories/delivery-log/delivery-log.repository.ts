import type { EpochMs } from '@coldchain/domain';
import type {
  ChannelKind,
  DeliveryErrorInfo,
  DeliveryInit,
  DeliveryRecord,
  ProviderName,
  ProviderStatusUpdate,
} from './delivery-record.js';

export type AcquireResult =
  { acquired: true; record: DeliveryRecord } | { acquired: false; record: DeliveryRecord };

/**
 * Durable record of every delivery, keyed by idempotency key (one per alert
 * transition, contact and channel). It is what makes retries and restarts
 * safe: a key recorded `sent` is never sent again. Adapters: in-memory (unit
 * tests), SQLite (embedded), PostgreSQL; each runs `deliveryLogContract`.
 *
 * Contract (every adapter):
 * 1. `acquire` is atomic per key across processes sharing the store (one
 *    transaction / compare-and-set). It grants an attempt, and returns
 *    `acquired: true` with the record in `sending`, `attempts` incremented
 *    and `leaseUntil = now + leaseMs`, only when
 *    - no record exists (created from `init`, attempts = 1), or
 *    - the record is `retry_wait` and `nextAttemptAt <= now`, or
 *    - the record is `sending` and `leaseUntil <= now` (its holder died).
 *    Otherwise (`sent`, `failed`, a live lease, a retry not yet due) it
 *    changes nothing and returns `acquired: false` with the current record.
 *    `init` fields of an existing record are never overwritten.
 * 2. `markSent` moves any non-`sent` record to `sent`, keeping the first
 *    receipt if already `sent` (a provider acceptance is a fact, even from a
 *    holder whose lease expired). Clears `leaseUntil`/`nextAttemptAt`.
 * 3. `markRetry` and `markFailed` apply only when the record is `sending`
 *    with `attempts === attempt` (fencing: a stale holder never overwrites a
 *    newer attempt or a `sent`); otherwise they return the record unchanged.
 * 4. `recordProviderStatus` finds the record by `idempotencyKey` when given,
 *    else by `providerMessageId`; appends to `statusHistory`; sets
 *    `providerStatus` only when the update advances it (queued < sent <
 *    delivered | undelivered | failed); and, when the record is not yet
 *    `sent`, moves it to `sent` (the provider evidently accepted it: this is
 *    how a crash between acceptance and `markSent` heals) and fills
 *    `providerMessageId`. Unknown deliveries return undefined.
 * 5. `listDue(now, limit)` returns records an attempt may be started for
 *    (`retry_wait` due, or `sending` with an expired lease), oldest
 *    `updatedAt` first, for a sweeper resuming work after a restart.
 * 6. `listRecentByAddress(channel, address, since, limit)` returns records of
 *    that channel and address created at or after `since`, newest first
 *    (matching an SMS reply "ACK 4821" to the alerts texted to that number).
 * 7. Every mutation sets `updatedAt = now` (the update's `at` for statuses).
 *    Records returned are copies: mutating them does not change the store.
 */
export interface DeliveryLog {
  acquire(init: DeliveryInit, now: EpochMs, leaseMs: number): Promise<AcquireResult>;
  markSent(
    key: string,
    receipt: { provider: ProviderName; providerMessageId: string },
    now: EpochMs,
  ): Promise<DeliveryRecord>;
  markRetry(
    key: string,
    attempt: number,
    error: DeliveryErrorInfo,
    nextAttemptAt: EpochMs,
    now: EpochMs,
  ): Promise<DeliveryRecord>;
  markFailed(key: string, attempt: number, error: DeliveryErrorInfo, now: EpochMs): Promise<DeliveryRecord>;
  recordProviderStatus(update: ProviderStatusUpdate): Promise<DeliveryRecord | undefined>;
  get(key: string): Promise<DeliveryRecord | undefined>;
  /** Every delivery of one alert transition (all contacts, channels and escalations), oldest first. */
  listByAlert(alertKey: string): Promise<DeliveryRecord[]>;
  listDue(now: EpochMs, limit: number): Promise<DeliveryRecord[]>;
  listRecentByAddress(
    channel: ChannelKind,
    address: string,
    since: EpochMs,
    limit: number,
  ): Promise<DeliveryRecord[]>;
}
