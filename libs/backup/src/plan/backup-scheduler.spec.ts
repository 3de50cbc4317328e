import { describe, expect, it } from '@jest/globals';
import type { ArchiveCatalog } from './archive-catalog.js';
import { archiveName, takenAtOf } from './archive-catalog.js';
import { BackupScheduler } from './backup-scheduler.js';
import { planState, type PlannedArchive } from './retention-plan.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** An in-memory catalog: the scheduler's view of BACKUP_DIR. */
function memoryCatalog(): ArchiveCatalog & { names(): string[] } {
  const archives = new Map<string, PlannedArchive>();
  return {
    list: () => [...archives.values()],
    pathFor: (takenAt) => archiveName(takenAt, 'embedded'),
    remove: (name) => void archives.delete(name),
    names: () => [...archives.keys()].sort(),
    add(takenAt: number) {
      const name = archiveName(takenAt, 'embedded');
      archives.set(name, { name, takenAt });
    },
  } as ArchiveCatalog & { names(): string[]; add(t: number): void };
}

function run(start: number, end: number, failWhile: (t: number) => boolean = () => false) {
  const clock = { t: start, now: () => clock.t };
  const catalog = memoryCatalog() as ReturnType<typeof memoryCatalog> & { add(t: number): void };
  const statuses: Array<{ failing: boolean; overdue: boolean }> = [];
  const scheduler = new BackupScheduler(
    catalog,
    (startedAt) => {
      if (failWhile(startedAt)) return Promise.reject(new Error('disk full'));
      catalog.add(startedAt);
      return Promise.resolve();
    },
    clock,
    undefined,
    (s) => statuses.push({ failing: s.failing, overdue: s.overdue }),
  );
  return { clock, catalog, scheduler, statuses };
}

describe('backup plan: every 6 h; 6-hourly kept 1 day, daily and weekly 7 days, monthly 1 year', () => {
  it('leaves exactly the archives the plan says after 8 days of simulated time, ticked every minute', async () => {
    // Monday 29 June 2026 00:30 UTC to Tuesday 7 July 00:30: crosses a week and a month boundary.
    const start = Date.UTC(2026, 5, 29, 0, 30);
    const { clock, catalog, scheduler } = run(start, start + 8 * DAY);
    for (clock.t = start; clock.t <= start + 8 * DAY; clock.t += MIN) await scheduler.tick();
    const at = (d: string) => archiveName(Date.parse(d), 'embedded');
    expect(catalog.names()).toEqual(
      [
        at('2026-06-29T00:30:00Z'), // June's first: monthly, kept a year
        at('2026-07-01T00:30:00Z'), // July's first: monthly; also daily
        at('2026-07-02T00:30:00Z'), // daily, 7 days
        at('2026-07-03T00:30:00Z'),
        at('2026-07-04T00:30:00Z'),
        at('2026-07-05T00:30:00Z'),
        at('2026-07-06T00:30:00Z'), // daily and this ISO week's weekly
        at('2026-07-06T06:30:00Z'), // 6-hourly, the last day's
        at('2026-07-06T12:30:00Z'),
        at('2026-07-06T18:30:00Z'),
        at('2026-07-07T00:30:00Z'),
      ].sort(),
    );
    // 33 backups were taken (every 6 h over 8 days, both ends included); 22 were pruned.
    const state = planState(catalog.list(), clock.now());
    expect(state.prune).toEqual([]);
    expect(state.nextDueAt).toBe(Date.parse('2026-07-07T06:30:00Z'));
    expect(state.archives.find((a) => a.name === at('2026-06-29T00:30:00Z'))!.tiers).toEqual([
      'sixHourly',
      'daily',
      'weekly',
      'monthly',
    ]);
  });

  it('retries a failed backup at the next tick and reports failing, then overdue once the interval and grace passed', async () => {
    const start = Date.UTC(2026, 0, 5, 0, 0);
    // The first backup succeeds; every attempt from 6 h to 14 h fails.
    const { clock, catalog, scheduler, statuses } = run(
      start,
      start + DAY,
      (t) => t >= start + 6 * HOUR && t < start + 14 * HOUR,
    );
    clock.t = start;
    await scheduler.tick();
    clock.t = start + 6 * HOUR;
    await scheduler.tick();
    expect(statuses.at(-1)).toEqual({ failing: true, overdue: false });
    clock.t = start + 7 * HOUR + MIN; // 6 h interval + 1 h grace passed with no success
    await scheduler.tick();
    expect(statuses.at(-1)).toEqual({ failing: true, overdue: true });
    clock.t = start + 14 * HOUR;
    await scheduler.tick();
    expect(statuses.at(-1)).toEqual({ failing: false, overdue: false });
    expect(catalog.list().map((a) => a.takenAt)).toEqual([start, start + 14 * HOUR]);
  });
});

describe('archive names', () => {
  it('carry the start time to the millisecond and the mode, and nothing else parses', () => {
    const t = Date.UTC(2026, 11, 7, 18, 0, 0, 123);
    expect(archiveName(t, 'production')).toBe('coldchain-20261207T180000123Z-production.ccbk');
    expect(takenAtOf(archiveName(t, 'production'))).toBe(t);
    expect(takenAtOf('coldchain-20261207T180000123Z-production.ccbk.partial')).toBeUndefined();
    expect(takenAtOf('notes.txt')).toBeUndefined();
  });
});
