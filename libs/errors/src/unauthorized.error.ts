import { ColdchainError } from './coldchain.error.js';

/**
 * The caller is not authenticated: no credentials, wrong ones, or a session
 * that expired, idled out or was revoked. `reason` is a stable code for
 * clients (`credentials`, `token`, `session_expired`, `session_idle`, ...);
 * the message never says whether an account exists. HTTP 401.
 */
export class UnauthorizedError extends ColdchainError {
  constructor(
    message: string,
    readonly reason: string = 'credentials',
  ) {
    super(message, { code: 'unauthorized', retriable: false });
  }
}
