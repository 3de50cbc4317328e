/** Shapes of the API's answers the dashboard reads (apps/api/src/schemas.ts, the reporting contract). */

export interface Tag {
  mac: string;
  name: string;
  profileId?: string;
}

export interface Hub {
  imei: string;
  name: string;
  status?: 'online' | 'offline';
  statusAt?: number;
}

export interface Profile {
  id: string;
  name: string;
  version: number;
  temperature: { min: number; max: number };
  rules?: Record<string, unknown>;
}

export interface Reading {
  tag: string;
  hub: string;
  ts: number;
  temperature?: number;
  humidity?: number;
  co2?: number;
  door?: string;
  battery?: number;
}

export interface AlertEvent {
  key: string;
  tag: string;
  hub: string;
  rule: string;
  severity: 'warning' | 'critical';
  transition: 'raised' | 'escalated' | 'downgraded' | 'reminder' | 'cleared';
  startedAt: number;
  endedAt?: number;
  value?: number;
  bound?: number;
  unit?: string;
  late: boolean;
  emittedAt?: number;
}

export interface HubPosition {
  hub: string;
  lat: number;
  lon: number;
  fixAt: number;
  speed?: number;
}

export interface SeriesPoint {
  t: number;
  c?: number;
  min?: number;
  max?: number;
  humidity?: number;
}

export interface Series {
  stepMs: number | null;
  band: { low?: number; high?: number };
  points: SeriesPoint[];
}

export interface Excursion {
  side: 'above' | 'below';
  bound: number;
  startedAt: number;
  endedAt?: number;
  durationMs: number;
  peakC: number;
}

export interface Statistics {
  band: { low?: number; high?: number };
  samples: number;
  minC?: number;
  maxC?: number;
  meanC?: number;
  mktC?: number;
  coveredMs: number;
  inRangeMs: number;
  aboveMs: number;
  belowMs: number;
  gaps: number;
  gapMs: number;
  excursions: Excursion[];
}

export type TagStatus = 'ok' | 'warning' | 'critical' | 'silent';

export const STATUS_LABEL: Record<TagStatus, string> = {
  ok: 'In range',
  warning: 'Warning',
  critical: 'Critical',
  silent: 'Silent',
};

/** A tag with no reading for this long is silent, ms (a hub reports every few seconds to a minute). */
export const SILENT_AFTER_MS = 15 * 60_000;

/**
 * The alerts still open, per tag: for each (tag, rule) the newest transition
 * counts, and the alert is open unless that transition is `cleared`.
 * `alerts` may come in any order.
 */
export function openAlerts(alerts: readonly AlertEvent[]): Map<string, AlertEvent[]> {
  const newest = new Map<string, AlertEvent>();
  for (const a of alerts) {
    const k = `${a.tag}\u0000${a.rule}`;
    const seen = newest.get(k);
    if (!seen || order(a) > order(seen)) newest.set(k, a);
  }
  const open = new Map<string, AlertEvent[]>();
  for (const a of newest.values()) {
    if (a.transition === 'cleared') continue;
    open.set(a.tag, [...(open.get(a.tag) ?? []), a]);
  }
  return open;
}

const order = (a: AlertEvent): number => a.emittedAt ?? a.endedAt ?? a.startedAt;

/**
 * A tag's status colour: critical or warning while an alert of that severity
 * is open; warning too when the latest temperature is outside the profile's
 * band before any alert fired (rules may delay them); silent without a recent
 * reading; otherwise in range.
 */
export function tagStatus(
  latest: Reading | undefined,
  open: readonly AlertEvent[] | undefined,
  profile: Profile | undefined,
  now: number,
): TagStatus {
  if (open?.some((a) => a.severity === 'critical')) return 'critical';
  if (open?.length) return 'warning';
  if (!latest || now - latest.ts > SILENT_AFTER_MS) return 'silent';
  const t = latest.temperature;
  if (profile && t !== undefined && (t < profile.temperature.min || t > profile.temperature.max))
    return 'warning';
  return 'ok';
}

export const formatTemp = (c: number | undefined): string => (c === undefined ? '—' : `${c.toFixed(1)} °C`);

export const formatTime = (ms: number | undefined): string =>
  ms === undefined ? '—' : new Date(ms).toLocaleString(undefined, { hour12: false });

export const formatAgo = (ms: number | undefined, now: number): string => {
  if (ms === undefined) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
};
