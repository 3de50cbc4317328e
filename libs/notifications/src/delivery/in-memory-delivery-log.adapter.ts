import type { EpochMs } from '@coldchain/domain';
import type { ChannelKind, ProviderName } from '../channels/notification-channel.js';
import {
  advancesStatus,
  type AcquireResult,
  type DeliveryLog,
  type DeliveryErrorInfo,
  type DeliveryInit,
  type DeliveryRecord,
  type ProviderStatusUpdate,
} from '@coldchain/metadata-store';

const copy = (r: DeliveryRecord): DeliveryRecord => structuredClone(r);

/**
 * DeliveryLog in process memory, for unit tests and single-process demos.
 * Atomic because every method runs to completion without awaiting anything.
 * Lost on restart: production uses the SQLite or PostgreSQL adapter.
 */
export class InMemoryDeliveryLog implements DeliveryLog {
  private readonly byKey = new Map<string, DeliveryRecord>();
  private readonly keyByMessageId = new Map<string, string>();
  private seq = 0;
  private readonly order = new Map<string, number>();

  async acquire(init: DeliveryInit, now: EpochMs, leaseMs: number): Promise<AcquireResult> {
    const existing = this.byKey.get(init.idempotencyKey);
    if (!existing) {
      const record: DeliveryRecord = {
        ...init,
        state: 'sending',
        attempts: 1,
        createdAt: now,
        updatedAt: now,
        leaseUntil: now + leaseMs,
        statusHistory: [],
      };
      this.byKey.set(init.idempotencyKey, record);
      this.order.set(init.idempotencyKey, this.seq++);
      return { acquired: true, record: copy(record) };
    }
    const due =
      (existing.state === 'retry_wait' && (existing.nextAttemptAt ?? 0) <= now) ||
      (existing.state === 'sending' && (existing.leaseUntil ?? 0) <= now);
    if (!due) return { acquired: false, record: copy(existing) };
    existing.state = 'sending';
    existing.attempts += 1;
    existing.leaseUntil = now + leaseMs;
    delete existing.nextAttemptAt;
    existing.updatedAt = now;
    return { acquired: true, record: copy(existing) };
  }

  async markSent(
    key: string,
    receipt: { provider: ProviderName; providerMessageId: string },
    now: EpochMs,
  ): Promise<DeliveryRecord> {
    const r = this.must(key);
    if (r.state === 'sent' && r.providerMessageId) return copy(r);
    r.state = 'sent';
    r.provider = receipt.provider;
    r.providerMessageId = receipt.providerMessageId;
    this.keyByMessageId.set(receipt.providerMessageId, key);
    delete r.leaseUntil;
    delete r.nextAttemptAt;
    r.updatedAt = now;
    return copy(r);
  }

  async markRetry(
    key: string,
    attempt: number,
    error: DeliveryErrorInfo,
    nextAttemptAt: EpochMs,
    now: EpochMs,
  ): Promise<DeliveryRecord> {
    const r = this.must(key);
    if (r.state !== 'sending' || r.attempts !== attempt) return copy(r);
    r.state = 'retry_wait';
    r.lastError = { ...error };
    r.nextAttemptAt = nextAttemptAt;
    delete r.leaseUntil;
    r.updatedAt = now;
    return copy(r);
  }

  async markFailed(
    key: string,
    attempt: number,
    error: DeliveryErrorInfo,
    now: EpochMs,
  ): Promise<DeliveryRecord> {
    const r = this.must(key);
    if (r.state !== 'sending' || r.attempts !== attempt) return copy(r);
    r.state = 'failed';
    r.lastError = { ...error };
    delete r.leaseUntil;
    delete r.nextAttemptAt;
    r.updatedAt = now;
    return copy(r);
  }

  async recordProviderStatus(update: ProviderStatusUpdate): Promise<DeliveryRecord | undefined> {
    const key =
      (update.idempotencyKey && this.byKey.has(update.idempotencyKey) ? update.idempotencyKey : undefined) ??
      this.keyByMessageId.get(update.providerMessageId);
    const r = key === undefined ? undefined : this.byKey.get(key);
    if (!r) return undefined;
    r.statusHistory.push({
      status: update.status,
      raw: update.raw,
      at: update.at,
      ...(update.errorCode !== undefined ? { errorCode: update.errorCode } : {}),
    });
    if (advancesStatus(r.providerStatus, update.status)) r.providerStatus = update.status;
    if (r.state !== 'sent') {
      r.state = 'sent';
      delete r.leaseUntil;
      delete r.nextAttemptAt;
    }
    if (!r.providerMessageId) {
      r.providerMessageId = update.providerMessageId;
      this.keyByMessageId.set(update.providerMessageId, r.idempotencyKey);
    }
    r.updatedAt = update.at;
    return copy(r);
  }

  async get(key: string): Promise<DeliveryRecord | undefined> {
    const r = this.byKey.get(key);
    return r && copy(r);
  }

  async listByAlert(alertKey: string): Promise<DeliveryRecord[]> {
    return [...this.byKey.values()].filter((r) => r.alertKey === alertKey).map(copy);
  }

  async listDue(now: EpochMs, limit: number): Promise<DeliveryRecord[]> {
    return [...this.byKey.values()]
      .filter(
        (r) =>
          (r.state === 'retry_wait' && (r.nextAttemptAt ?? 0) <= now) ||
          (r.state === 'sending' && (r.leaseUntil ?? 0) <= now),
      )
      .sort(
        (a, b) =>
          a.updatedAt - b.updatedAt || this.order.get(a.idempotencyKey)! - this.order.get(b.idempotencyKey)!,
      )
      .slice(0, limit)
      .map(copy);
  }

  async listRecentByAddress(
    channel: ChannelKind,
    address: string,
    since: EpochMs,
    limit: number,
  ): Promise<DeliveryRecord[]> {
    return [...this.byKey.values()]
      .filter((r) => r.channel === channel && r.address === address && r.createdAt >= since)
      .sort(
        (a, b) =>
          b.createdAt - a.createdAt || this.order.get(b.idempotencyKey)! - this.order.get(a.idempotencyKey)!,
      )
      .slice(0, limit)
      .map(copy);
  }

  private must(key: string): DeliveryRecord {
    const r = this.byKey.get(key);
    if (!r) throw new Error(`no delivery ${key}`);
    return r;
  }
}
