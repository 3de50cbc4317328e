import type { RuleSchedule } from '@coldchain/domain';
import { ALARM_ENGINE_DEFAULTS } from '../alarm-engine.defaults.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MINUTES_PER_DAY = 1440;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/**
 * UTC offset of one IANA time zone, from `Intl` (no dependency, tzdata of the
 * runtime). Cached per 15-minute UTC bucket: every offset change in the tz
 * database happens on such a boundary, so one `Intl` call serves all readings
 * of a bucket and the hot path does arithmetic only.
 */
export class TimeZoneOffsets {
  private readonly format: Intl.DateTimeFormat;
  private readonly cache = new Map<number, number>();
  private lastBucket = Number.NaN;
  private lastOffsetMs = 0;

  /** @throws RangeError when `timeZone` is not a zone the runtime knows. */
  constructor(
    readonly timeZone: string,
    private readonly bucketMs: number = ALARM_ENGINE_DEFAULTS.timeZoneOffsetBucketMs,
    private readonly maxEntries: number = ALARM_ENGINE_DEFAULTS.timeZoneOffsetCacheEntries,
  ) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Local time − UTC at `ts`, ms. */
  offsetAt(ts: number): number {
    const bucket = Math.floor(ts / this.bucketMs);
    if (bucket === this.lastBucket) return this.lastOffsetMs;
    let offset = this.cache.get(bucket);
    if (offset === undefined) {
      offset = this.compute(bucket * this.bucketMs);
      if (this.cache.size >= this.maxEntries) this.cache.clear();
      this.cache.set(bucket, offset);
    }
    this.lastBucket = bucket;
    this.lastOffsetMs = offset;
    return offset;
  }

  private compute(ts: number): number {
    const p = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
    for (const part of this.format.formatToParts(ts)) {
      if (part.type in p) p[part.type as keyof typeof p] = Number(part.value);
    }
    const localAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    const wholeSecond = ts - (((ts % 1000) + 1000) % 1000);
    return localAsUtc - wholeSecond;
  }
}

/** Parses `HH:MM` (00:00–24:00) to minutes of the day; undefined when malformed. */
export function parseClockTime(text: string): number | undefined {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes > MINUTES_PER_DAY ? undefined : minutes;
}

/**
 * A schedule ready for the hot path: one bit per minute of the local week
 * (Monday 00:00 = minute 0), so "is the rule active at ts" is one offset
 * lookup and one array read. Built from a schedule `validateProfileRules`
 * accepted.
 */
export class CompiledSchedule {
  private readonly activeMinutes = new Uint8Array(MINUTES_PER_WEEK);

  constructor(
    schedule: RuleSchedule,
    private readonly offsets: TimeZoneOffsets,
  ) {
    for (const w of schedule.windows) {
      const from = parseClockTime(w.from) ?? 0;
      const to = parseClockTime(w.to) ?? 0;
      const length = to > from ? to - from : MINUTES_PER_DAY - from + to;
      for (const day of w.days) {
        const start = (day - 1) * MINUTES_PER_DAY + from;
        for (let i = 0; i < length; i++) this.activeMinutes[(start + i) % MINUTES_PER_WEEK] = 1;
      }
    }
  }

  /** Whether the rule is active at `ts` (epoch ms), judged in the schedule's time zone. */
  isActive(ts: number): boolean {
    const local = ts + this.offsets.offsetAt(ts);
    const days = Math.floor(local / DAY_MS);
    // 1970-01-01 was a Thursday: ISO weekday index (Monday = 0) is (days + 3) mod 7.
    const weekday = (((days + 3) % 7) + 7) % 7;
    const minuteOfDay = Math.floor((local - days * DAY_MS) / MINUTE_MS);
    return this.activeMinutes[weekday * MINUTES_PER_DAY + minuteOfDay] === 1;
  }
}

/** Shares one offset cache per time zone between all compiled schedules. */
export class TimeZoneRegistry {
  private readonly zones = new Map<string, TimeZoneOffsets>();

  offsets(timeZone: string): TimeZoneOffsets {
    let z = this.zones.get(timeZone);
    if (!z) {
      z = new TimeZoneOffsets(timeZone);
      this.zones.set(timeZone, z);
    }
    return z;
  }

  compile(schedule: RuleSchedule): CompiledSchedule {
    return new CompiledSchedule(schedule, this.offsets(schedule.timeZone));
  }
}

/** Whether the runtime knows this IANA time zone. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
