import { BACKUP_DEFAULTS } from '../backup.defaults.js';

/** The tiers of the seed's plan (see {@link BACKUP_DEFAULTS}). */
export type BackupTier = 'sixHourly' | 'daily' | 'weekly' | 'monthly';

/** One archive as the plan sees it: its name and when its backup started, epoch ms. */
export interface PlannedArchive {
  name: string;
  takenAt: number;
}

/** An archive with the tiers it stands for and until when it is kept. */
export interface ArchiveStanding extends PlannedArchive {
  tiers: BackupTier[];
  /** Epoch ms after which no tier keeps it. */
  keepUntil: number;
}

export interface PlanState {
  /** Every archive, oldest first, with its tiers. */
  archives: ArchiveStanding[];
  /** Archives no tier keeps any more at `now`. */
  prune: string[];
  /** True when a backup should start now. */
  due: boolean;
  /** Epoch ms the next backup is due (now when due). */
  nextDueAt: number;
  /** True when the last successful backup is older than the interval plus the grace (a backup was missed). */
  overdue: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Start of the UTC period containing `t`, per tier: the tier's bucket. */
function bucketOf(tier: Exclude<BackupTier, 'sixHourly'>, t: number): number {
  const d = new Date(t);
  switch (tier) {
    case 'daily':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    case 'weekly': {
      // ISO weeks start on Monday (getUTCDay: 0 = Sunday).
      const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      return day - ((d.getUTCDay() + 6) % 7) * DAY_MS;
    }
    case 'monthly':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
}

/**
 * The plan's state at `now`, from the archives present (pure: the clock is
 * the caller's). Every archive is 6-hourly; the earliest archive of a UTC
 * day, ISO week or month is also that period's daily, weekly or monthly one.
 * An archive is kept while any of its tiers keeps it. The earliest of a
 * period is never pruned before a later one of the same period (its keep
 * time is at least as long), so tiers do not shift as archives go.
 * `lastSuccessAt` is the last successful backup (the newest archive when
 * unknown); with none, a backup is due at once.
 */
export function planState(
  archives: readonly PlannedArchive[],
  now: number,
  plan: Pick<typeof BACKUP_DEFAULTS, 'intervalMs' | 'keepMs' | 'overdueGraceMs'> = BACKUP_DEFAULTS,
  lastSuccessAt?: number,
): PlanState {
  const sorted = [...archives].sort((a, b) => a.takenAt - b.takenAt || a.name.localeCompare(b.name));
  const firsts = { daily: new Set<number>(), weekly: new Set<number>(), monthly: new Set<number>() };
  const standing: ArchiveStanding[] = sorted.map((a) => {
    const tiers: BackupTier[] = ['sixHourly'];
    for (const tier of ['daily', 'weekly', 'monthly'] as const) {
      const bucket = bucketOf(tier, a.takenAt);
      if (!firsts[tier].has(bucket)) {
        firsts[tier].add(bucket);
        tiers.push(tier);
      }
    }
    const keepUntil = Math.max(...tiers.map((t) => a.takenAt + plan.keepMs[t]));
    return { ...a, tiers, keepUntil };
  });
  const last = lastSuccessAt ?? sorted.at(-1)?.takenAt;
  const nextDueAt = last === undefined ? now : last + plan.intervalMs;
  return {
    archives: standing,
    prune: standing.filter((a) => a.keepUntil <= now).map((a) => a.name),
    due: now >= nextDueAt,
    nextDueAt,
    overdue: last !== undefined && now > last + plan.intervalMs + plan.overdueGraceMs,
  };
}
