import type { EpochMs } from '@coldchain/domain';
import type { LoginAttemptReservation } from './session.repository.js';

/**
 * One login attempt reserved in one statement (see
 * SessionRepository.reserveLoginAttempt): an upsert whose row lock serialises
 * concurrent attempts for one email, in one process or many. Every SET
 * expression reads the row as it was before the statement:
 * - locked at `at`: the row stays as it is (refused, nothing counted);
 * - the count would pass `max`: lock until `lockUntil`, count restarted (refused);
 * - otherwise: one more attempt counted (granted, its number returned).
 * Parameters: email (lower-cased), at, max, lockUntil (epoch ms).
 */
const reserveSql = (p: { email: string; at: string; max: string; lockUntil: string }, table: string) => `
  INSERT INTO auth_login_failures (email, failures, last_failure_at) VALUES (${p.email}, 1, ${p.at})
  ON CONFLICT (email) DO UPDATE SET
    failures = CASE
      WHEN ${table}.locked_until > ${p.at} THEN ${table}.failures
      WHEN ${table}.failures + 1 > ${p.max} THEN 0
      ELSE ${table}.failures + 1 END,
    locked_until = CASE
      WHEN ${table}.locked_until > ${p.at} THEN ${table}.locked_until
      WHEN ${table}.failures + 1 > ${p.max} THEN ${p.lockUntil}
      ELSE ${table}.locked_until END,
    last_failure_at = CASE
      WHEN ${table}.locked_until > ${p.at} THEN ${table}.last_failure_at
      ELSE ${p.at} END
  RETURNING failures, locked_until`;

/** better-sqlite3, named parameters `@email`, `@at`, `@max`, `@lockUntil`. */
export const RESERVE_LOGIN_ATTEMPT_SQLITE = reserveSql(
  { email: '@email', at: '@at', max: '@max', lockUntil: '@lockUntil' },
  'auth_login_failures',
);

/** PostgreSQL, parameters $1 email, $2 at, $3 max, $4 lockUntil. */
export const RESERVE_LOGIN_ATTEMPT_POSTGRES = reserveSql(
  { email: '$1', at: '$2::bigint', max: '$3::integer', lockUntil: '$4::bigint' },
  'auth_login_failures',
);

/** The reservation a row returned by the statement above stands for, at `at`. */
export function reservation(
  row: { failures: number | string; locked_until: number | string | null },
  at: EpochMs,
): LoginAttemptReservation {
  const lockedUntil = row.locked_until === null ? undefined : Number(row.locked_until);
  if (lockedUntil !== undefined && lockedUntil > at) return { granted: false, lockedUntil };
  return { granted: true, attempt: Number(row.failures) };
}
