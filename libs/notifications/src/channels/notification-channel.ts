import type { AlertEvent } from '@coldchain/domain';
import type { ChannelKind, ProviderName } from '@coldchain/metadata-store';
import type { RenderedAlert } from '../render/rendered-alert.js';

// The channel and provider names are the delivery log's columns, so they are
// defined beside its port (@coldchain/metadata-store) and re-exported here.
export type { ChannelKind, ProviderName };

export const CHANNEL_KINDS: readonly ChannelKind[] = ['email', 'sms', 'voice', 'webhook', 'outbox'];

/** One message for one recipient over one channel, rendered and ready to send. */
export interface OutgoingNotification {
  /**
   * One key per (alert transition, contact, channel). Providers pass it on
   * where the vendor supports it (email Message-ID, webhook `Idempotency-Key`,
   * Twilio status-callback URL) so that duplicates can be recognised downstream.
   */
  idempotencyKey: string;
  alert: AlertEvent;
  recipient: {
    contactId: string;
    name?: string;
    /** Email address for email, E.164 number for sms/voice; ignored by webhook (the URL is configured). */
    address: string;
  };
  rendered: RenderedAlert;
  /** Absolute URLs the provider should report back to, when the provider supports callbacks. */
  callbacks?: {
    /** Twilio `StatusCallback` for messages and calls. */
    statusUrl?: string;
    /** Twilio `<Gather action>` for the keypad acknowledgement on a voice call. */
    voiceGatherUrl?: string;
  };
}

/** What a provider said when it took a message. Accepted is not delivered: see status callbacks. */
export interface DeliveryReceipt {
  channel: ChannelKind;
  provider: ProviderName;
  /** Vendor's id: SMTP Message-ID, Twilio SM…/CA… SID, webhook request id, outbox line id. */
  providerMessageId: string;
  /** Vendor's status at acceptance, for example `queued` (Twilio) or `accepted` (SMTP 250). */
  status: string;
  /** Free text for the audit trail, for example the SMTP server's `250 OK` line. */
  detail?: string;
}

/**
 * One medium, one provider behind it. Contract:
 * - resolves only when the provider has accepted responsibility for the
 *   message (SMTP 250, Twilio 201, webhook 2xx, outbox line written);
 * - rejects only with a `DeliveryError`, whose `retriable` says whether the
 *   same send may succeed later;
 * - never retries by itself (the delivery service owns retries and records
 *   every attempt);
 * - `close()` releases pooled connections and file handles; idempotent.
 */
export interface NotificationChannel {
  readonly kind: ChannelKind;
  readonly provider: ProviderName;
  send(message: OutgoingNotification): Promise<DeliveryReceipt>;
  close(): Promise<void>;
}
