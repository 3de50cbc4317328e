import type { AlertEvent, EpochMs } from '@coldchain/domain';
import { DEFAULTS } from '../notifications.defaults.js';
import { formatLocalClock, formatValue } from '../render/format.js';
import { smsSize, toGsm7 } from '../render/gsm7.js';
import type { RenderedSms } from '../render/rendered-alert.js';

/** Alerts of one hub folded into one SMS. */
export interface StormGroup {
  /** Stable id of the group: the idempotency root of its summary and of its ack code. */
  key: string;
  tenantId: string;
  hub: string;
  alerts: AlertEvent[];
  /** Processing time the window holding these alerts opened. */
  openedAt: EpochMs;
}

export type StormDecision =
  /** Send this alert on its own now (first of a quiet hub: never delay the first alarm). */
  | { kind: 'send' }
  /** Held for the summary, which falls due at `flushAt`. */
  | { kind: 'held'; groupKey: string; flushAt: EpochMs };

interface HubWindow {
  openedAt: EpochMs;
  closesAt: EpochMs;
  held: AlertEvent[];
  /** The previous window ended with a summary: the storm is still on. */
  stormy: boolean;
}

/**
 * Folds a storm of alerts from one hub (a truck, a cold room) into one SMS
 * per window instead of one per tag (SMS cost money, a long code sends about
 * one per second, and forty texts teach people to ignore the phone).
 *
 * Per (tenant, hub): the first alert while the hub is quiet is sent alone at
 * once and opens a window of `windowMs`; alerts arriving inside it are held;
 * when it closes, `flushDue` returns them as one group. While a storm lasts
 * (the last window produced a summary), a new alert opens a new window and
 * is held too; a window that closes with nothing held ends the storm.
 * Time comes from the caller. Offer only what would be texted (SMS targets).
 */
export class StormGrouper {
  private readonly windows = new Map<string, HubWindow>();

  constructor(private readonly windowMs: number = DEFAULTS.routing.stormWindowMs) {}

  offer(alert: AlertEvent, now: EpochMs): StormDecision {
    const id = `${alert.tenantId}|${alert.hub}`;
    const w = this.windows.get(id);
    if (w && now < w.closesAt) {
      w.held.push(alert);
      return { kind: 'held', groupKey: groupKey(alert.tenantId, alert.hub, w.openedAt), flushAt: w.closesAt };
    }
    if (w && (w.stormy || w.held.length > 0)) {
      // The previous window is over but the storm goes on: the new window starts held.
      const next: HubWindow = { openedAt: now, closesAt: now + this.windowMs, held: [alert], stormy: true };
      this.windows.set(id, next);
      return { kind: 'held', groupKey: groupKey(alert.tenantId, alert.hub, now), flushAt: next.closesAt };
    }
    this.windows.set(id, { openedAt: now, closesAt: now + this.windowMs, held: [], stormy: false });
    return { kind: 'send' };
  }

  /** Groups whose window has closed by `now`, with at least one held alert; quiet hubs are forgotten. */
  flushDue(now: EpochMs): StormGroup[] {
    const out: StormGroup[] = [];
    for (const [id, w] of this.windows) {
      if (now < w.closesAt) continue;
      if (w.held.length === 0) {
        this.windows.delete(id);
        continue;
      }
      const [tenantId, hub] = id.split('|') as [string, string];
      out.push({
        key: groupKey(tenantId, hub, w.openedAt),
        tenantId,
        hub,
        alerts: w.held,
        openedAt: w.openedAt,
      });
      w.held = [];
      w.stormy = true;
    }
    return out;
  }

  /** When `flushDue` next has work (the earliest open window with held alerts), for the caller's timer. */
  nextFlushAt(): EpochMs | undefined {
    let next: EpochMs | undefined;
    for (const w of this.windows.values())
      if (w.held.length > 0 && (next === undefined || w.closesAt < next)) next = w.closesAt;
    return next;
  }
}

function groupKey(tenantId: string, hub: string, openedAt: EpochMs): string {
  return `storm|${tenantId}|${hub}|${openedAt}`;
}

/**
 * An AlertEvent standing for the whole group, so the summary goes through the
 * DeliveryService like any alert (key = group key: sent once per contact).
 * Severity is the highest in the group; start the earliest.
 */
export function stormAlertEvent(group: StormGroup): AlertEvent {
  const first = group.alerts.reduce((a, b) => (b.startedAt < a.startedAt ? b : a));
  return {
    ...first,
    key: group.key,
    severity: group.alerts.some((a) => a.severity === 'critical') ? 'critical' : 'warning',
    startedAt: first.startedAt,
    emittedAt: Math.max(...group.alerts.map((a) => a.emittedAt)),
  };
}

/**
 * "CRIT 40 tags on Truck 7 since 14:05 CET: Fridge A1 9.4C, Fridge A2 9.1C,
 * +38 more. Reply ACK 4821": as many tags as fit one GSM-7 segment.
 */
export function renderStormSms(
  group: StormGroup,
  ctx: { hubName: string; tagName: (mac: string) => string; timeZone: string; ackCode?: string },
): RenderedSms {
  const event = stormAlertEvent(group);
  const tags = [...new Map(group.alerts.map((a) => [a.tag, a])).values()];
  const head = `${event.severity === 'critical' ? 'CRIT' : 'WARN'} ${tags.length} tag${tags.length === 1 ? '' : 's'} on ${toGsm7(
    ctx.hubName,
  )} since ${formatLocalClock(event.startedAt, ctx.timeZone)}`;
  const tail = ctx.ackCode ? ` Reply ACK ${ctx.ackCode}` : '';
  const item = (a: AlertEvent): string =>
    `${toGsm7(ctx.tagName(a.tag))}${a.value === undefined ? '' : ` ${formatValue(a.value)}${toGsm7(a.unit ?? '').replace(/\s+/g, '')}`}`;
  let shown = 0;
  let text = `${head}.${tail}`;
  for (let n = 1; n <= tags.length; n++) {
    const rest = tags.length - n;
    const candidate = `${head}: ${tags.slice(0, n).map(item).join(', ')}${rest > 0 ? `, +${rest} more` : ''}.${tail}`;
    if (smsSize(candidate).segments > 1) break;
    text = candidate;
    shown = n;
  }
  if (shown === 0 && tags.length > 0) text = `${head}.${tail}`;
  const size = smsSize(text);
  return { text, encoding: size.encoding, segments: size.segments };
}
