import type { DoorState } from '@coldchain/domain';
import type { DiagnosticKind, EngineDiagnostic } from './alarm-engine.types.js';

/*
 * Helpers of the engine's intake: how a record's readings are checked and
 * coded into the reorder buffer before any rule sees them.
 */

/** Per-record tally of readings the engine set aside; reused, so the hot path allocates nothing for it. */
export class RecordTally {
  tooLate = 0;
  tooLateFirst = 0;
  tooLateLast = 0;
  future = 0;
  futureFirst = 0;
  futureLast = 0;
  stale = 0;
  staleFirst = 0;
  staleLast = 0;
  reset(): void {
    this.tooLate = 0;
    this.future = 0;
    this.stale = 0;
  }
}

/** A diagnostic as the intake reports it; the engine adds the tag and the message. */
export type DiagnosticRecord = Pick<
  EngineDiagnostic,
  'kind' | 'hub' | 'count' | 'firstTs' | 'lastTs' | 'detailMs'
>;

export const DIAGNOSTIC_TEXT: Record<DiagnosticKind, string> = {
  too_late:
    'readings measured before what was already evaluated (beyond the reorder window): stored, not evaluated',
  future_timestamp: 'readings measured after they were received: hub clock ahead; not evaluated',
  stale_timestamp: 'readings measured far before the hub sent them: clock behind; not evaluated',
  hub_clock_skew: 'hub send time differs from gateway receive time (detailMs = receive − send)',
  unsorted_record: 'readings of one record were not in measured order; evaluated sorted',
  gap: 'no reading for longer than maxGapMs: alarm delays restarted, nothing counted across the gap',
  buffer_overflow: 'reorder buffer full: oldest reading evaluated early',
  invalid_profile: 'profile fails validation; last valid version kept',
};

/** A metric as the slab holds it: NaN when absent or not finite. */
export function num(x: number | undefined): number {
  return x !== undefined && Number.isFinite(x) ? x : Number.NaN;
}

/** A door state as the slab holds it: 1 open, 0 closed, NaN absent. */
export function doorCode(d: DoorState | undefined): number {
  return d === 'open' ? 1 : d === 'closed' ? 0 : Number.NaN;
}

export function isSortedByTs(readings: readonly { ts: number }[]): boolean {
  for (let i = 1; i < readings.length; i++) if (readings[i].ts < readings[i - 1].ts) return false;
  return true;
}
