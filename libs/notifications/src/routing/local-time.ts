import type { EpochMs } from '@coldchain/domain';

/** 0 = Sunday … 6 = Saturday, as Date#getDay. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface LocalClock {
  weekday: Weekday;
  /** Minutes since local midnight, 0–1439. */
  minuteOfDay: number;
}

const WEEKDAYS: Record<string, Weekday> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock weekday and time of `at` in an IANA time zone (Intl only, DST-correct). */
export function localClock(at: EpochMs, timeZone: string): LocalClock {
  const parts = formatter(timeZone).formatToParts(new Date(at));
  const get = (t: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === t)?.value ?? '';
  return {
    weekday: WEEKDAYS[get('weekday')] ?? 0,
    minuteOfDay: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

/** "07:30" → 450. Throws RangeError on anything but a valid 24-hour "HH:MM". */
export function parseHhMm(hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new RangeError(`expected HH:MM (24 h), got ${JSON.stringify(hhmm)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Whether minute-of-day `m` is in [start, end); a window with start > end spans midnight; start = end is empty. */
export function inDailyWindow(m: number, start: number, end: number): boolean {
  return start <= end ? m >= start && m < end : m >= start || m < end;
}

/**
 * The first instant after `at` whose local time in `timeZone` is `target`
 * (minute of day). Steps by the wall-clock difference and corrects for a DST
 * change in between; when `target` does not exist that day (skipped hour), it
 * returns the first instant after the gap.
 */
export function nextLocalTime(at: EpochMs, timeZone: string, target: number): EpochMs {
  const startOfMinute = at - (at % 60_000);
  const now = localClock(startOfMinute, timeZone).minuteOfDay;
  let delta = (target - now + 1440) % 1440 || 1440;
  let candidate = startOfMinute + delta * 60_000;
  for (let i = 0; i < 3; i++) {
    const got = localClock(candidate, timeZone).minuteOfDay;
    if (got === target) return candidate;
    const drift = ((target - got + 2160) % 1440) - 720; // signed minutes, −720…719
    delta += drift;
    candidate = startOfMinute + delta * 60_000;
  }
  return candidate;
}
