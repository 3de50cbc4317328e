import { ColdchainError } from './coldchain.error.js';

/**
 * The caller is authenticated but may not do this: a role too low, or a
 * password change still pending (`code` then `password_change_required`).
 * Never raised for another tenant's objects: those are NotFoundError. HTTP 403.
 */
export class ForbiddenError extends ColdchainError {
  constructor(message: string, code: 'forbidden' | 'password_change_required' = 'forbidden') {
    super(message, { code, retriable: false });
  }
}
