import type { Clock } from '@coldchain/domain';
import { BACKUP_DEFAULTS } from '../backup.defaults.js';
import type { ArchiveCatalog } from './archive-catalog.js';
import { planState, type PlanState } from './retention-plan.js';

/** What the scheduler reports after each check (metrics, /health, the operator alert). */
export interface BackupSchedulerStatus {
  lastSuccessAt?: number;
  lastFailureAt?: number;
  lastError?: string;
  /** True when the last attempt failed. */
  failing: boolean;
  /** True when a backup was missed (see {@link PlanState.overdue}). */
  overdue: boolean;
  archives: number;
}

/**
 * Runs the plan: on each `tick`, prunes what the plan no longer keeps and,
 * when a backup is due, takes one through `takeBackup` (which writes the
 * archive into the catalog). Plain class, the clock passed in: the embedded
 * platform calls `tick` from a timer; tests call it with simulated time.
 * Ticks never overlap (a tick during a running backup returns at once).
 */
export class BackupScheduler {
  private running = false;
  private readonly status: BackupSchedulerStatus = { failing: false, overdue: false, archives: 0 };

  constructor(
    private readonly catalog: ArchiveCatalog,
    private readonly takeBackup: (startedAt: number) => Promise<void>,
    private readonly clock: Clock,
    private readonly plan: Pick<
      typeof BACKUP_DEFAULTS,
      'intervalMs' | 'keepMs' | 'overdueGraceMs'
    > = BACKUP_DEFAULTS,
    private readonly onStatus: (status: BackupSchedulerStatus) => void = () => undefined,
  ) {}

  current(): Readonly<BackupSchedulerStatus> {
    return this.status;
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      let state = this.state();
      if (state.due) {
        const startedAt = this.clock.now();
        try {
          await this.takeBackup(startedAt);
          this.status.lastSuccessAt = startedAt;
          this.status.failing = false;
          this.status.lastError = undefined;
        } catch (err) {
          this.status.lastFailureAt = startedAt;
          this.status.failing = true;
          this.status.lastError = err instanceof Error ? err.message : String(err);
        }
        state = this.state();
      }
      for (const name of state.prune) this.catalog.remove(name);
      this.status.overdue = state.overdue;
      this.status.archives = state.archives.length - state.prune.length;
    } finally {
      this.running = false;
    }
    this.onStatus(this.status);
  }

  /**
   * The plan at the clock's now. The last success is the newest archive, or
   * the last success this scheduler saw if later: a failed attempt does not
   * move it, so after a failure a backup is due again at the next tick.
   */
  state(): PlanState {
    const archives = this.catalog.list();
    const newest = archives.reduce<number | undefined>(
      (m, a) => (m === undefined || a.takenAt > m ? a.takenAt : m),
      undefined,
    );
    const last =
      newest === undefined
        ? this.status.lastSuccessAt
        : Math.max(newest, this.status.lastSuccessAt ?? newest);
    return planState(archives, this.clock.now(), this.plan, last);
  }
}
