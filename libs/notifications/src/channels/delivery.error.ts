import { ColdchainError } from '@coldchain/errors';
import type { ChannelKind, ProviderName } from './notification-channel.js';

/**
 * A provider did not accept a message. `retriable` is true when the same send
 * may succeed later (SMTP 4xx, Twilio 429/5xx, timeouts, connection failures)
 * and false when it never will as given (SMTP 5xx refusal, Twilio 21211
 * invalid number, bad credentials). The vendor's own error stays in `cause`.
 */
export class DeliveryError extends ColdchainError {
  readonly channel: ChannelKind;
  readonly provider: ProviderName;
  /** Vendor's code: SMTP reply code (550), Twilio error code (21211), HTTP status for webhooks, or a socket code. */
  readonly providerCode: string | number | undefined;

  constructor(
    message: string,
    options: {
      channel: ChannelKind;
      provider: ProviderName;
      retriable: boolean;
      providerCode?: string | number;
      cause?: unknown;
    },
  ) {
    super(message, {
      code: options.retriable ? 'delivery_failed_transient' : 'delivery_failed_permanent',
      retriable: options.retriable,
      cause: options.cause,
    });
    this.channel = options.channel;
    this.provider = options.provider;
    this.providerCode = options.providerCode;
  }
}

/** Socket-level error codes (Node, axios, nodemailer) that mean "try again later". */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  // nodemailer
  'ECONNECTION',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EMAXLIMIT',
]);

export function errorCodeOf(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = err.code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
