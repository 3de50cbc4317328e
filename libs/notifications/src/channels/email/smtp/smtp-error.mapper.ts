import { DeliveryError, TRANSIENT_NETWORK_CODES, errorCodeOf, messageOf } from '../../delivery.error.js';

/**
 * Maps a nodemailer failure to a DeliveryError.
 *
 * RFC 5321 §4.2.1: a 4yz reply is a transient negative completion (the same
 * command may succeed later), a 5yz reply a permanent one. Connection-level
 * failures (refused, reset, timed out, TLS handshake) are transient too.
 * Authentication failures (EAUTH, 535) and malformed envelopes are
 * configuration or data problems and never clear by themselves.
 */
export function toSmtpDeliveryError(err: unknown): DeliveryError {
  const responseCode = (err as { responseCode?: unknown } | null)?.responseCode;
  const code = errorCodeOf(err);
  let retriable: boolean;
  let providerCode: string | number | undefined;
  if (typeof responseCode === 'number') {
    providerCode = responseCode;
    retriable = responseCode >= 400 && responseCode < 500;
  } else {
    providerCode = code;
    retriable = code !== undefined && TRANSIENT_NETWORK_CODES.has(code);
  }
  return new DeliveryError(`SMTP send failed: ${messageOf(err)}`, {
    channel: 'email',
    provider: 'smtp',
    retriable,
    providerCode,
    cause: err,
  });
}
