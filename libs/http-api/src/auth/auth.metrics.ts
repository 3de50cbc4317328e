import { Counter, type Registry } from 'prom-client';
import type { LoginOutcome } from '@coldchain/identity';

/**
 * Login attempts by outcome, on the process's registry (served at /metrics).
 * `throttled` and `locked` were refused before any password was verified;
 * `accepted`, `rejected` and `refused` each cost one password verification,
 * so their sum per email-lock window stays at most LOGIN_MAX_FAILURES per
 * email however many attempts arrive at once: a brute force shows as a
 * growing `locked`.
 */
export class AuthMetrics {
  readonly loginAttempts: Counter<'outcome'>;

  constructor(registry: Registry) {
    // One per registry: a second API module on the same registry (tests) shares it.
    this.loginAttempts =
      (registry.getSingleMetric('coldchain_login_attempts_total') as Counter<'outcome'> | undefined) ??
      new Counter({
        name: 'coldchain_login_attempts_total',
        help: 'Operator API login attempts by outcome (throttled, locked, accepted, rejected, refused).',
        labelNames: ['outcome'] as const,
        registers: [registry],
      });
  }

  loginAttempt(outcome: LoginOutcome): void {
    this.loginAttempts.inc({ outcome });
  }
}
