import { ColdchainError } from './coldchain.error.js';

/**
 * The caller is authenticated but may not do this: a role too low, a
 * password change still pending (`code` then `password_change_required`), or
 * a write in a closed tenant, which its users may only read (`tenant_closed`).
 * Never raised for another tenant's objects: those are NotFoundError. HTTP 403.
 */
export class ForbiddenError extends ColdchainError {
  constructor(
    message: string,
    code: 'forbidden' | 'password_change_required' | 'tenant_closed' = 'forbidden',
  ) {
    super(message, { code, retriable: false });
  }
}
