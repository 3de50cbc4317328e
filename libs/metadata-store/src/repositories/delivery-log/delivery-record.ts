import type { EpochMs } from '@coldchain/domain';

/** The media an alert can reach a person (or a system) through. */
export type ChannelKind = 'email' | 'sms' | 'voice' | 'webhook' | 'outbox';

/** Which vendor/mechanism carried a message. */
export type ProviderName = 'smtp' | 'twilio' | 'webhook' | 'outbox';

/**
 * Where one (alert transition, contact, channel) delivery stands:
 * - `sending`: an attempt holds the lease until `leaseUntil`;
 * - `retry_wait`: the last attempt failed transiently; the next is due at `nextAttemptAt`;
 * - `sent`: the provider accepted it (terminal: never sent again);
 * - `failed`: refused permanently, or retries exhausted (terminal: never retried).
 */
export type DeliveryState = 'sending' | 'retry_wait' | 'sent' | 'failed';

/**
 * What the provider reported after acceptance, normalised across vendors
 * (ordered: `queued` < `sent` < the three final ones).
 */
export type ProviderStatus = 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';

export interface DeliveryErrorInfo {
  /** DeliveryError code, or `no_address` / `channel_unavailable` for routes that could not be tried. */
  code: string;
  message: string;
  retriable: boolean;
  providerCode?: string | number;
}

/** Fields the delivery service supplies when it first touches a key. */
export interface DeliveryInit {
  idempotencyKey: string;
  alertKey: string;
  tenantId: string;
  contactId: string;
  channel: ChannelKind;
  /** Email address, E.164 number or webhook URL actually used. */
  address: string;
  /** Key of the delivery whose failure led to this one (channel escalation). */
  escalatedFrom?: string;
}

export interface ProviderStatusEntry {
  status: ProviderStatus;
  /** The vendor's own word (`delivered`, `no-answer`, …). */
  raw: string;
  at: EpochMs;
  errorCode?: string;
}

export interface DeliveryRecord extends DeliveryInit {
  state: DeliveryState;
  /** Attempts started so far, the current one included. */
  attempts: number;
  createdAt: EpochMs;
  updatedAt: EpochMs;
  leaseUntil?: EpochMs;
  nextAttemptAt?: EpochMs;
  provider?: ProviderName;
  providerMessageId?: string;
  lastError?: DeliveryErrorInfo;
  /** The furthest status reached (a late `sent` never overrides `delivered`). */
  providerStatus?: ProviderStatus;
  /** Every callback, in arrival order. */
  statusHistory: ProviderStatusEntry[];
}

/** A provider callback, already verified (signature) and parsed. */
export interface ProviderStatusUpdate {
  /** From the callback URL (`?d=`), when the provider echoes it; preferred over the message id. */
  idempotencyKey?: string;
  providerMessageId: string;
  status: ProviderStatus;
  raw: string;
  at: EpochMs;
  errorCode?: string;
}

const RANK: Record<ProviderStatus, number> = { queued: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3 };

/** Whether `next` moves a delivery forward from `current` (final statuses are never replaced). */
export function advancesStatus(current: ProviderStatus | undefined, next: ProviderStatus): boolean {
  return current === undefined || RANK[next] > RANK[current];
}

export function isFinalProviderStatus(s: ProviderStatus | undefined): boolean {
  return s === 'delivered' || s === 'undelivered' || s === 'failed';
}
