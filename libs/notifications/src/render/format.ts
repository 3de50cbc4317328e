import type { AlertEvent, EpochMs, Position } from '@coldchain/domain';

/**
 * "2025-03-04 14:05 CET": measured time shown in the reader's own time zone
 * (IANA name), 24-hour clock, with the zone's abbreviation so a reader
 * travelling elsewhere is not misled. Uses Intl only.
 */
export function formatLocalTime(at: EpochMs, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(new Date(at));
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${get('timeZoneName')}`;
}

/** "14:05 CET" (same day shown without the date, for SMS). */
export function formatLocalClock(at: EpochMs, timeZone: string): string {
  return formatLocalTime(at, timeZone).slice(11);
}

/** "04 Mar 14:05 CET". */
export function formatLocalShort(at: EpochMs, timeZone: string): string {
  const dayMonth = new Intl.DateTimeFormat('en-GB', { timeZone, day: '2-digit', month: 'short' }).format(
    new Date(at),
  );
  return `${dayMonth} ${formatLocalClock(at, timeZone)}`;
}

/** Whether an IANA time zone name is known to this runtime's Intl data. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Decimal places that keep a reading honest without noise: sensors report to 0.1. */
export function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Metric name and comparison word from a rule id such as `temperature.high`. */
export function describeRule(rule: string): { metric: string; comparison: 'above' | 'below' | 'outside' } {
  const [metric = rule, kind = ''] = rule.split('.');
  const comparison = /high|max|above/i.test(kind)
    ? 'above'
    : /low|min|below/i.test(kind)
      ? 'below'
      : 'outside';
  return { metric, comparison };
}

export function severityLabel(event: AlertEvent): string {
  return event.severity === 'critical' ? 'CRITICAL' : 'WARNING';
}

export function transitionLabel(event: AlertEvent): string {
  switch (event.transition) {
    case 'raised':
      return 'Alert';
    case 'escalated':
      return 'Escalated';
    case 'downgraded':
      return 'Downgraded';
    case 'reminder':
      return 'Reminder';
    case 'cleared':
      return 'Cleared';
  }
}

/** "52.52000, 13.40500" (5 decimals ≈ 1 m). */
export function formatPosition(p: Position): string {
  return `${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`;
}

export function mapUrl(p: Position): string {
  return `https://www.openstreetmap.org/?mlat=${p.lat.toFixed(5)}&mlon=${p.lon.toFixed(5)}#map=15/${p.lat.toFixed(5)}/${p.lon.toFixed(5)}`;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text for an HTML text node or a quoted attribute value: `& < > " '` become
 * entities, so a name like `<img src=x onerror=…>` reads as itself. The one
 * escaping helper of server-rendered HTML (alert emails, the dashboard's
 * index `<meta>`).
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * Characters XML 1.0 cannot carry at all, escaped or not (§2.2 Char: C0
 * controls other than tab, LF and CR; U+FFFE, U+FFFF; unpaired surrogates).
 */
/* eslint-disable no-control-regex -- matching the control characters XML forbids is the point */
const XML_INVALID =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/* eslint-enable no-control-regex */

/**
 * Text for TwiML (`<Say>`, `<Message>`): the characters XML cannot carry are
 * dropped (twilio's builder escapes markup but throws on those, which would
 * fail every call about a tag whose name holds one). Markup is left to the
 * builder's escaping.
 */
export function xmlText(text: string): string {
  return text.replace(XML_INVALID, '');
}
