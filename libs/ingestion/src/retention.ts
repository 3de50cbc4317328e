import type { Clock } from '@coldchain/domain';
import type { DeadLetterRepository } from '@coldchain/metadata-store';
import type { TelemetryStorePort } from '@coldchain/telemetry-store';

const DAY_MS = 86_400_000;

/** How long the store keeps what, days; 0 readings days = for ever. */
export interface RetentionPolicy {
  positionsDays: number;
  readingsDays: number;
}

/**
 * One retention pass: deletes positions (and readings, when a limit is set)
 * older than the policy allows, measured against `clock`, then each tenant's
 * positions older than its own shorter retention. Idempotent, safe to run
 * from several ingest instances (deleting what is already gone deletes
 * nothing). On InfluxDB the platform-wide pass deletes nothing (retention
 * policies expire the data) and the per-tenant one deletes with InfluxQL
 * `DELETE`; on SQLite both delete.
 */
export async function applyRetention(
  store: Pick<TelemetryStorePort, 'purge'>,
  policy: RetentionPolicy,
  clock: Clock,
  tenants: ReadonlyArray<{ id: string; positionsRetentionDays?: number }> = [],
): Promise<{ readings: number; positions: number }> {
  const now = clock.now();
  const gone = await store.purge({
    positionsBefore: now - policy.positionsDays * DAY_MS,
    ...(policy.readingsDays > 0 ? { readingsBefore: now - policy.readingsDays * DAY_MS } : {}),
  });
  // Tenants that want their tracks gone sooner; never later than the platform's limit.
  for (const t of tenants) {
    if (t.positionsRetentionDays === undefined || t.positionsRetentionDays >= policy.positionsDays) continue;
    const own = await store.purge({
      tenantId: t.id,
      positionsBefore: now - t.positionsRetentionDays * DAY_MS,
    });
    gone.positions += own.positions;
  }
  return gone;
}

/**
 * Deletes the dead letters received more than `retentionDays` before `clock`'s
 * now; returns how many. Idempotent, safe from several ingest instances.
 */
export async function purgeDeadLetters(
  deadLetters: Pick<DeadLetterRepository, 'purgeDeadLetters'>,
  retentionDays: number,
  clock: Clock,
): Promise<number> {
  return deadLetters.purgeDeadLetters(clock.now() - retentionDays * DAY_MS);
}
