import type { AlertEvent, Clock } from '@coldchain/domain';
import { DEFAULTS } from '../../notifications.defaults.js';
import { DeliveryError, errorCodeOf, messageOf } from '../delivery.error.js';
import type { DeliveryReceipt, NotificationChannel, OutgoingNotification } from '../notification-channel.js';
import { WEBHOOK_HEADERS, signWebhook } from './webhook-signature.js';

export interface WebhookConfig {
  url: string;
  /** HMAC key; when absent requests go unsigned (allowed, but the docs advise against it). */
  secret?: string;
  requestTimeoutMs?: number;
  clock: Clock;
}

/** The JSON body POSTed for each notification. Versioned: receivers switch on `type`. */
export interface WebhookBody {
  type: 'coldchain.alert.v1';
  idempotencyKey: string;
  alert: AlertEvent;
  recipient: { contactId: string; name?: string };
  text: string;
  subject: string;
  ackUrl?: string;
}

/** HTTP statuses worth retrying: timeouts, too-early, rate limits and server-side failures. */
function isRetriableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * Generic webhook for chat tools and ticketing: POST JSON, signed (see
 * `signWebhook`), with an `Idempotency-Key` header. Resolves on any 2xx.
 */
export class WebhookChannel implements NotificationChannel {
  readonly kind = 'webhook' as const;
  readonly provider = 'webhook' as const;

  constructor(private readonly config: WebhookConfig) {}

  async send(message: OutgoingNotification): Promise<DeliveryReceipt> {
    const body: WebhookBody = {
      type: 'coldchain.alert.v1',
      idempotencyKey: message.idempotencyKey,
      alert: message.alert,
      recipient: {
        contactId: message.recipient.contactId,
        ...(message.recipient.name ? { name: message.recipient.name } : {}),
      },
      subject: message.rendered.email.subject,
      text: message.rendered.email.text,
      ...(message.rendered.ackUrl ? { ackUrl: message.rendered.ackUrl } : {}),
    };
    const raw = JSON.stringify(body);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      [WEBHOOK_HEADERS.idempotencyKey]: message.idempotencyKey,
    };
    if (this.config.secret) {
      const ts = Math.floor(this.config.clock.now() / 1000);
      headers[WEBHOOK_HEADERS.timestamp] = String(ts);
      headers[WEBHOOK_HEADERS.signature] = signWebhook(this.config.secret, ts, raw);
    }
    let res: Response;
    try {
      res = await fetch(this.config.url, {
        method: 'POST',
        headers,
        body: raw,
        signal: AbortSignal.timeout(this.config.requestTimeoutMs ?? DEFAULTS.webhook.requestTimeoutMs),
      });
    } catch (err) {
      // fetch wraps socket errors in a TypeError with the real one in `cause`; a timeout is a DOMException.
      const inner = (err as { cause?: unknown }).cause ?? err;
      const code = errorCodeOf(inner) ?? (err as { name?: string }).name;
      // Anything on the wire (refused, reset, DNS, timeout) may clear; a malformed URL never will.
      const retriable = !/^ERR_INVALID_/.test(code ?? '');
      throw new DeliveryError(`webhook request failed: ${messageOf(inner)}`, {
        channel: 'webhook',
        provider: 'webhook',
        retriable,
        providerCode: code,
        cause: err,
      });
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      throw new DeliveryError(`webhook answered HTTP ${res.status}`, {
        channel: 'webhook',
        provider: 'webhook',
        retriable: isRetriableStatus(res.status),
        providerCode: res.status,
        cause: new Error(text.slice(0, 500)),
      });
    }
    return {
      channel: 'webhook',
      provider: 'webhook',
      providerMessageId: res.headers.get('x-request-id') ?? message.idempotencyKey,
      status: `http_${res.status}`,
    };
  }

  async close(): Promise<void> {}
}
