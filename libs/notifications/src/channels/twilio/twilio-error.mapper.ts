import twilio from 'twilio';
import { isRetriable } from '@coldchain/errors';
import { DeliveryError, TRANSIENT_NETWORK_CODES, errorCodeOf, messageOf } from '../delivery.error.js';
import type { ChannelKind } from '../notification-channel.js';

/** Twilio error codes (https://www.twilio.com/docs/api/errors) this lib names on purpose. */
export const TWILIO_ERROR = {
  /** Authenticate: bad account SID or token. */
  authenticate: 20003,
  /** Too Many Requests (HTTP 429). */
  tooManyRequests: 20429,
  /** Invalid 'To' phone number. */
  invalidTo: 21211,
  /** 'To' number is not a valid mobile number (SMS to a landline). */
  notMobile: 21614,
  /** The recipient replied STOP: unsubscribed. */
  unsubscribed: 21610,
} as const;

/**
 * Maps a twilio client failure to a DeliveryError: HTTP 429 (code 20429) and
 * 5xx are transient, as are timeouts and socket errors; any other 4xx
 * (21211 invalid number, 21614 not a mobile, 21610 unsubscribed, 20003 bad
 * credentials) is permanent: the same request will be refused again.
 */
export function toTwilioDeliveryError(err: unknown, channel: ChannelKind): DeliveryError {
  if (err instanceof twilio.RestException) {
    const retriable = err.status === 429 || err.code === TWILIO_ERROR.tooManyRequests || err.status >= 500;
    return new DeliveryError(
      `Twilio refused (HTTP ${err.status}, code ${err.code ?? 'none'}): ${err.message}`,
      {
        channel,
        provider: 'twilio',
        retriable,
        providerCode: err.code ?? err.status,
        cause: err,
      },
    );
  }
  const code = errorCodeOf(err);
  const retriable = code !== undefined && TRANSIENT_NETWORK_CODES.has(code) ? true : isRetriable(err);
  return new DeliveryError(`Twilio request failed: ${messageOf(err)}`, {
    channel,
    provider: 'twilio',
    retriable,
    providerCode: code,
    cause: err,
  });
}
