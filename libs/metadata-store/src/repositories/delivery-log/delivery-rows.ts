import type { AckEntry, AckVia, StoredAck } from '../ack-audit/ack-audit.repository.js';
import type {
  ChannelKind,
  DeliveryErrorInfo,
  DeliveryInit,
  DeliveryRecord,
  DeliveryState,
  ProviderName,
  ProviderStatus,
  ProviderStatusEntry,
} from './delivery-record.js';

/** A `notification_deliveries` row as both engines return it (BIGINTs already numbers). */
export interface DeliveryRow {
  idempotency_key: string;
  alert_key: string;
  tenant_id: string;
  contact_id: string;
  channel: string;
  address: string;
  escalated_from: string | null;
  state: string;
  attempts: number;
  created_at: number;
  updated_at: number;
  lease_until: number | null;
  next_attempt_at: number | null;
  provider: string | null;
  provider_message_id: string | null;
  last_error: string | null;
  provider_status: string | null;
}

export interface StatusRow {
  idempotency_key: string;
  status: string;
  raw: string;
  at: number;
  error_code: string | null;
}

export interface AckRow {
  id: number;
  alert_key: string;
  tenant_id: string;
  actor: string;
  via: string;
  comment: string | null;
  at: number;
}

export const DELIVERY_COLUMNS =
  'idempotency_key, alert_key, tenant_id, contact_id, channel, address, escalated_from, state, attempts, ' +
  'created_at, updated_at, lease_until, next_attempt_at, provider, provider_message_id, last_error, provider_status';

/** Row (+ its callbacks, append order) → the DeliveryRecord the port hands out; optional columns left out when NULL. */
export function toDeliveryRecord(r: DeliveryRow, statuses: readonly StatusRow[]): DeliveryRecord {
  return {
    idempotencyKey: r.idempotency_key,
    alertKey: r.alert_key,
    tenantId: r.tenant_id,
    contactId: r.contact_id,
    channel: r.channel as ChannelKind,
    address: r.address,
    ...(r.escalated_from !== null ? { escalatedFrom: r.escalated_from } : {}),
    state: r.state as DeliveryState,
    attempts: r.attempts,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.lease_until !== null ? { leaseUntil: r.lease_until } : {}),
    ...(r.next_attempt_at !== null ? { nextAttemptAt: r.next_attempt_at } : {}),
    ...(r.provider !== null ? { provider: r.provider as ProviderName } : {}),
    ...(r.provider_message_id !== null ? { providerMessageId: r.provider_message_id } : {}),
    ...(r.last_error !== null ? { lastError: JSON.parse(r.last_error) as DeliveryErrorInfo } : {}),
    ...(r.provider_status !== null ? { providerStatus: r.provider_status as ProviderStatus } : {}),
    statusHistory: statuses.map((s): ProviderStatusEntry => ({
      status: s.status as ProviderStatus,
      raw: s.raw,
      at: s.at,
      ...(s.error_code !== null ? { errorCode: s.error_code } : {}),
    })),
  };
}

export function toStoredAck(r: AckRow): StoredAck {
  return {
    id: r.id,
    alertKey: r.alert_key,
    tenantId: r.tenant_id,
    actor: r.actor,
    via: r.via as AckVia,
    ...(r.comment !== null ? { comment: r.comment } : {}),
    at: r.at,
  };
}

/** A new delivery's identity columns, in DELIVERY_COLUMNS order (idempotency_key … escalated_from). */
export const deliveryIdentityParams = (
  init: DeliveryInit,
): [string, string, string, string, string, string, string | null] => [
  init.idempotencyKey,
  init.alertKey,
  init.tenantId,
  init.contactId,
  init.channel,
  init.address,
  init.escalatedFrom ?? null,
];

/** `acquire` of an existing delivery: granted again only when its retry is due or its lease ran out. */
export const isDueAgain = (r: DeliveryRow, now: number): boolean =>
  (r.state === 'retry_wait' && (r.next_attempt_at ?? 0) <= now) ||
  (r.state === 'sending' && (r.lease_until ?? 0) <= now);

export const ackParams = (e: AckEntry): [string, string, string, string, string | null, number] => [
  e.alertKey,
  e.tenantId,
  e.actor,
  e.via,
  e.comment ?? null,
  e.at,
];
