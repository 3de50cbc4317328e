import { ColdchainError } from './coldchain.error.js';

/**
 * Too many failed attempts: the account (or email) is locked until
 * `retryAfterMs` from now. Retriable, but only after that delay. HTTP 429 with Retry-After.
 */
export class TooManyAttemptsError extends ColdchainError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message, { code: 'too_many_attempts', retriable: true });
  }
}
