import type { paths } from './api-types.gen';

/**
 * Shapes of the API's answers the dashboard reads, taken from the types
 * generated from the API's OpenAPI document (api-types.gen.ts; regenerate with
 * `npm run generate:api-types`), so that a change of the API's schemas shows
 * up here as a type error rather than as a field that quietly disappears.
 */

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON body of a route's success answer (200, else 201). */
export type Answer<P extends keyof paths, M extends 'get' | 'post' | 'put' | 'patch'> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: infer Ok }
    ? JsonOf<Ok>
    : R extends { 201: infer Created }
      ? JsonOf<Created>
      : never
  : never;

export type TokenPair = Answer<'/api/v1/auth/login', 'post'>;
export type Tag = Answer<'/api/v1/tags', 'get'>['tags'][number];
export type Hub = Answer<'/api/v1/hubs', 'get'>['hubs'][number];
export type RegisteredHub = Answer<'/api/v1/hubs', 'post'>;
export type HubSecret = Answer<'/api/v1/hubs/{imei}/secret', 'post'>;
export type Profile = Answer<'/api/v1/profiles', 'get'>['profiles'][number];
export type LatestPage = Answer<'/api/v1/readings/latest', 'get'>;
export type Reading = LatestPage['readings'][number];
export type TagReadings = Answer<'/api/v1/tags/{mac}/readings', 'get'>;
export type AlertEvent = Answer<'/api/v1/alerts', 'get'>['alerts'][number];
export type AlertNotifications = Answer<'/api/v1/alerts/{key}/notifications', 'get'>;
export type Ack = AlertNotifications['acknowledgements'][number];
export type HubPosition = Answer<'/api/v1/positions/latest', 'get'>['positions'][number];
export type HubTrail = Answer<'/api/v1/hubs/{imei}/positions', 'get'>;
export type Series = Answer<'/api/v1/tags/{mac}/series', 'get'>;
export type SeriesPoint = Series['points'][number];
export type Statistics = Answer<'/api/v1/tags/{mac}/statistics', 'get'>;
export type Excursion = Statistics['excursions'][number];
export type ReportVerdict = Answer<'/api/v1/reports/verify', 'post'>;

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
