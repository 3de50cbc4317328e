import type { AlertEvent } from '@coldchain/domain';
import { DEFAULTS } from '../notifications.defaults.js';
import {
  describeRule,
  escapeHtml,
  formatLocalShort,
  formatLocalTime,
  formatPosition,
  formatValue,
  mapUrl,
  severityLabel,
  transitionLabel,
} from './format.js';
import { smsSize, toGsm7 } from './gsm7.js';
import type { RenderedAlert, RenderedEmail, RenderedSms, RenderedVoice } from './rendered-alert.js';

/** What the renderer needs besides the event: names the event only refers to by id, and the reader. */
export interface AlertRenderContext {
  tagName: string;
  profileName: string;
  tenantName: string;
  hubName?: string;
  contact: {
    name: string;
    /** IANA time zone the contact reads times in, for example `Europe/Berlin`. */
    timeZone: string;
  };
  /** Signed acknowledgement link for this (alert, contact); omitted on `cleared`. */
  ackUrl?: string;
  /** SMS acknowledgement code for this (alert, contact), for example "4821". */
  ackCode?: string;
}

interface Facts {
  severity: string;
  transition: string;
  metric: string;
  comparison: string;
  /** "9.4 °C" or undefined when the event carries no value. */
  value?: string;
  bound?: string;
  since: string;
  ended?: string;
  position?: string;
  positionAt?: string;
  mapUrl?: string;
}

function factsOf(event: AlertEvent, ctx: AlertRenderContext): Facts {
  const tz = ctx.contact.timeZone;
  const { metric, comparison } = describeRule(event.rule);
  const unit = event.unit ? ` ${event.unit}` : '';
  return {
    severity: severityLabel(event),
    transition: transitionLabel(event),
    metric,
    comparison,
    value: event.value === undefined ? undefined : `${formatValue(event.value)}${unit}`,
    bound: event.bound === undefined ? undefined : `${formatValue(event.bound)}${unit}`,
    since: formatLocalTime(event.startedAt, tz),
    ended: event.endedAt === undefined ? undefined : formatLocalTime(event.endedAt, tz),
    position: event.position ? formatPosition(event.position) : undefined,
    positionAt: event.position ? formatLocalTime(event.position.fixAt, tz) : undefined,
    mapUrl: event.position ? mapUrl(event.position) : undefined,
  };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "temperature 9.4 °C above bound 8 °C", or just the metric when the event carries no value. */
function valueSentence(f: Facts): string {
  if (f.value === undefined) return `${f.metric} ${f.comparison} bounds`;
  if (f.bound === undefined) return `${f.metric} ${f.value}`;
  return `${f.metric} ${f.value} ${f.comparison} bound ${f.bound}`;
}

export function renderEmail(event: AlertEvent, ctx: AlertRenderContext): RenderedEmail {
  const f = factsOf(event, ctx);
  const state = event.transition === 'raised' ? '' : ` ${f.transition.toLowerCase()}`;
  const subject = `[${f.severity}${state}] ${ctx.tagName}: ${valueSentence(f)} (${ctx.profileName})`;

  const rows: Array<[string, string, string?]> = [
    ['Tag', ctx.tagName],
    ['Product / profile', ctx.profileName],
    ['Reading', capitalise(valueSentence(f))],
    ['Since (measured)', f.since],
  ];
  if (f.ended) rows.push(['Ended (measured)', f.ended]);
  if (ctx.hubName) rows.push(['Relayed by', ctx.hubName]);
  rows.push(
    f.position
      ? ['Last position', `${f.position} (fix ${f.positionAt})`, f.mapUrl]
      : ['Last position', 'unknown'],
  );
  if (event.late) rows.push(['Note', 'Reading arrived late (the hub was offline and flushed its buffer).']);

  const ackLine = ctx.ackUrl ? `Acknowledge: ${ctx.ackUrl}` : undefined;
  const text = [
    `${f.severity} – ${f.transition}: ${ctx.tagName}`,
    `Tenant: ${ctx.tenantName}`,
    '',
    ...rows.map(([k, v, link]) => `${k}: ${v}${link ? ` <${link}>` : ''}`),
    '',
    ...(ackLine ? [ackLine, ''] : []),
    `Times are shown in ${ctx.contact.timeZone}.`,
  ].join('\n');

  const colour = event.severity === 'critical' ? '#b00020' : '#b26a00';
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<h2 style="color:${colour}">${escapeHtml(`${f.severity} – ${f.transition}`)}: ${escapeHtml(ctx.tagName)}</h2>`,
    `<p>Tenant: ${escapeHtml(ctx.tenantName)}</p>`,
    '<table cellpadding="4">',
    ...rows.map(
      ([k, v, link]) =>
        `<tr><th align="left">${escapeHtml(k)}</th><td>${
          link ? `<a href="${escapeHtml(link)}">${escapeHtml(v)}</a>` : escapeHtml(v)
        }</td></tr>`,
    ),
    '</table>',
    ctx.ackUrl
      ? `<p><a href="${escapeHtml(ctx.ackUrl)}" style="font-weight:bold">Acknowledge this alert</a></p>`
      : '',
    `<p style="color:#666">Times are shown in ${escapeHtml(ctx.contact.timeZone)}.</p>`,
    '</body></html>',
  ].join('\n');

  return { subject, html, text };
}

/** Unit as it fits GSM-7: "°C" → "C". */
function smsUnit(event: AlertEvent): string {
  return toGsm7(event.unit ?? '').replace(/\s+/g, '');
}

/**
 * One SMS, in one GSM-7 segment whenever the content allows: the richest
 * variant that fits is chosen (position, then the profile, then the date are
 * dropped; the tag name is shortened last). The acknowledgement code and the
 * value are never dropped. Falls back to UCS-2 only when a name has
 * characters GSM-7 cannot carry, still aiming at one (70-unit) segment.
 */
export function renderSms(event: AlertEvent, ctx: AlertRenderContext): RenderedSms {
  const tz = ctx.contact.timeZone;
  const f = factsOf(event, ctx);
  const unit = smsUnit(event);
  const head =
    event.transition === 'raised'
      ? f.severity.slice(0, 4)
      : `${f.severity.slice(0, 4)} ${f.transition.toUpperCase()}`;
  const reading =
    event.value === undefined
      ? `${f.metric} ${f.comparison} bounds`
      : event.bound === undefined
        ? `${f.metric} ${formatValue(event.value)}${unit}`
        : `${formatValue(event.value)}${unit} ${f.comparison === 'below' ? '<' : '>'} ${formatValue(event.bound)}${unit}`;
  const sinceLong = formatLocalShort(event.startedAt, tz);
  const sinceShort = sinceLong.slice(7); // "14:05 CET"
  const pos = event.position
    ? `Pos ${event.position.lat.toFixed(4)},${event.position.lon.toFixed(4)}`
    : undefined;
  const ack = ctx.ackCode && event.transition !== 'cleared' ? `Reply ACK ${ctx.ackCode}` : undefined;
  const tag = toGsm7(ctx.tagName);
  const profile = toGsm7(ctx.profileName);

  const compose = (o: { tag: string; profile?: string; since: string; pos?: string }): string =>
    [
      `${head} ${o.tag}${o.profile ? ` (${o.profile})` : ''}: ${reading} since ${o.since}.`,
      o.pos ? `${o.pos}.` : undefined,
      ack,
    ]
      .filter((p): p is string => p !== undefined)
      .join(' ');

  const variants = [
    compose({ tag, profile, since: sinceLong, pos }),
    compose({ tag, profile, since: sinceLong }),
    compose({ tag, since: sinceLong }),
    compose({ tag, since: sinceShort }),
  ];
  for (const text of variants) {
    const size = smsSize(text);
    if (size.segments === 1) return { text, ...pick(size) };
  }
  // Still too long: shorten the tag name, keeping the rest intact.
  const shortest = variants[variants.length - 1];
  const limit =
    smsSize(shortest).encoding === 'GSM-7' ? DEFAULTS.sms.gsm7SegmentSeptets : DEFAULTS.sms.ucs2SegmentUnits;
  const overflow = smsSize(shortest).units - limit;
  const tagRoom = [...tag].length - overflow - 1;
  if (tagRoom >= 4) {
    const text = compose({ tag: `${[...tag].slice(0, tagRoom).join('')}.`, since: sinceShort });
    const size = smsSize(text);
    if (size.segments === 1) return { text, ...pick(size) };
  }
  return { text: shortest, ...pick(smsSize(shortest)) };
}

function pick(size: ReturnType<typeof smsSize>): Pick<RenderedSms, 'encoding' | 'segments'> {
  return { encoding: size.encoding, segments: size.segments };
}

/** Words a text-to-speech engine reads well: "°C" → "degrees Celsius". */
function speakUnit(unit: string | undefined): string {
  if (!unit) return '';
  const spoken: Record<string, string> = {
    '°C': 'degrees Celsius',
    '°F': 'degrees Fahrenheit',
    '%': 'percent',
    '%RH': 'percent relative humidity',
    ppm: 'parts per million',
  };
  return ` ${spoken[unit] ?? unit}`;
}

export function renderVoice(event: AlertEvent, ctx: AlertRenderContext): RenderedVoice {
  const f = factsOf(event, ctx);
  const unit = speakUnit(event.unit);
  const reading =
    event.value === undefined
      ? `${f.metric} is ${f.comparison} its bounds`
      : event.bound === undefined
        ? `${f.metric} is ${formatValue(event.value)}${unit}`
        : `${f.metric} is ${formatValue(event.value)}${unit}, ${f.comparison} the limit of ${formatValue(event.bound)}${unit}`;
  const digit = DEFAULTS.ack.voiceAckDigit;
  const script = [
    `This is a ${f.severity.toLowerCase()} cold chain alert for ${ctx.tenantName}.`,
    `Tag ${ctx.tagName}, product ${ctx.profileName}.`,
    `The ${reading}, since ${formatLocalShort(event.startedAt, ctx.contact.timeZone)}.`,
    event.transition === 'cleared'
      ? 'The condition has cleared.'
      : `Press ${digit} to acknowledge this alert.`,
  ]
    .join(' ')
    .replace(/[–—]/g, ' to ');
  return { script, ackDigit: digit };
}

/** Renders every medium at once; cheap enough that channels need not ask for theirs. */
export function renderAlert(event: AlertEvent, ctx: AlertRenderContext): RenderedAlert {
  return {
    email: renderEmail(event, ctx),
    sms: renderSms(event, ctx),
    voice: renderVoice(event, ctx),
    ...(ctx.ackCode ? { ackCode: ctx.ackCode } : {}),
    ...(ctx.ackUrl ? { ackUrl: ctx.ackUrl } : {}),
  };
}
