import { z } from 'zod';
import { isValidImei, normalizeMac } from '@coldchain/contract';
import { parseDurationMs } from '../time/duration.js';

/**
 * Scenario files (YAML or JSON): a small world of hubs and tags, and a
 * timeline of events, played in simulated time. Validated once, at load,
 * with every problem named by its field path (docs/firmware-sim.md).
 * Unknown keys are refused: a typo must not silently do nothing.
 */

const duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const ms = parseDurationMs(v);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration (e.g. 500ms, 30s, 5m, 1h30m, 2d)` });
    return z.NEVER;
  }
  return ms;
});

const signedDuration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const text = String(v).trim();
  const negative = text.startsWith('-');
  const ms = parseDurationMs(negative ? text.slice(1) : text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a signed duration (e.g. -90s, 2m)` });
    return z.NEVER;
  }
  return negative ? -ms : ms;
});

const mac = z.string().transform((v, ctx) => {
  const m = normalizeMac(v);
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a BLE MAC address` });
    return z.NEVER;
  }
  return m;
});

const imei = z
  .string()
  .refine(isValidImei, { message: 'must be a 15-digit IMEI with a valid Luhn check digit' });
const id = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1–64 letters, digits, _ . -');
const celsius = z.number().min(-100).max(100);
const percent = z.number().min(0).max(100);

const waypoint = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  alt: z.number().min(-1000).max(20_000).optional(),
  dwell: duration.optional(),
});

const route = z.strictObject({
  speedKmh: z.number().positive().max(300),
  loop: z.boolean().default(false),
  waypoints: z.array(waypoint).min(1),
});

const hub = z.strictObject({
  /** Name used by tags and events. */
  id,
  /** Omitted: taken from the credentials file (in order) or generated. */
  imei: imei.optional(),
  secret: z.string().min(1).optional(),
  /** `true`: the built-in demo route; an object: that route; omitted/false: no GPS (a warehouse hub). */
  gps: z.union([z.boolean(), route]).default(false),
  clock: z
    .strictObject({
      /** Rate error of the hub's clock, parts per million (+ runs fast). A cheap RTC is ±20…100 ppm. */
      driftPpm: z.number().min(-10_000).max(10_000).default(0),
      /** Offset at start, a signed duration (e.g. "-90s"). */
      offset: signedDuration.default(0),
    })
    .default({ driftPpm: 0, offset: 0 }),
});

const tag = z.strictObject({
  id: id.optional(),
  /** Omitted: generated from the seed, or taken from the credentials file. */
  mac: mac.optional(),
  /** Id of the hub that hears it at start. */
  hub: id,
  setpoint: celsius.default(4),
  ambient: celsius.default(20),
  humidity: percent.default(85),
  ambientHumidity: percent.default(55),
  co2: z.boolean().default(true),
  co2RespirationPpmPerH: z.number().min(0).max(10_000).default(40),
  battery: z
    .strictObject({
      start: percent.default(90),
      /** % per measurement. */
      perMeasurement: z.number().min(0).max(100).default(0.00005),
    })
    .default({ start: 90, perMeasurement: 0.00005 }),
});

/** An event body aimed at tags: some tags by id or MAC (`tags`), or every tag a hub hears at that moment (`hub`). */
const targeted = <T extends z.ZodRawShape>(shape: T) =>
  z
    .strictObject({ ...shape, hub: id.optional(), tags: z.array(z.string()).min(1).optional() })
    .refine(
      (t) => ((t as { hub?: unknown }).hub === undefined) !== ((t as { tags?: unknown }).tags === undefined),
      {
        message: 'give exactly one of hub or tags',
      },
    );

export const EVENT_KINDS = [
  'door',
  'compressor',
  'ambient',
  'network',
  'handover',
  'battery',
  'clockSync',
] as const;

/**
 * One timeline entry: `at` (time since start) and exactly one kind. A `for`
 * duration on door, compressor and network reverts the change after it.
 */
const event = z
  .strictObject({
    at: duration,
    door: targeted({ open: z.boolean(), for: duration.optional() }).optional(),
    compressor: targeted({ ok: z.boolean(), for: duration.optional() }).optional(),
    ambient: targeted({ celsius }).optional(),
    network: z.strictObject({ hub: id, up: z.boolean(), for: duration.optional() }).optional(),
    handover: z
      .strictObject({ tag: z.string(), to: id, setpoint: celsius.optional(), ambient: celsius.optional() })
      .optional(),
    battery: z
      .strictObject({ tag: z.string(), pct: percent, perMeasurement: z.number().min(0).max(100).optional() })
      .optional(),
    clockSync: z.strictObject({ hub: id }).optional(),
  })
  .refine((e) => EVENT_KINDS.filter((k) => e[k] !== undefined).length === 1, {
    message: `an event needs exactly one of ${EVENT_KINDS.join(', ')}`,
  });

export const scenarioSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    seed: z.number().int().min(0).max(0xffffffff).default(1),
    /** World time at which the scenario starts (ISO-8601 with zone); default: now. */
    start: z.iso.datetime({ offset: true }).optional(),
    duration,
    /** Simulated ms per real ms, or "max" (as fast as the broker acknowledges). */
    speed: z.union([z.literal('max'), z.number().positive()]).default('max'),
    sampling: duration.default(60_000),
    publish: duration.default(60_000),
    queue: z
      .strictObject({
        maxReadings: z.number().int().positive().default(100_000),
        whenFull: z.enum(['drop-oldest', 'keep-first']).default('drop-oldest'),
      })
      .default({ maxReadings: 100_000, whenFull: 'drop-oldest' }),
    hubs: z.array(hub).min(1),
    tags: z.array(tag).min(1),
    events: z.array(event).default([]),
  })
  .superRefine((s, ctx) => {
    const hubIds = new Set<string>();
    s.hubs.forEach((h, i) => {
      if (hubIds.has(h.id))
        ctx.addIssue({ code: 'custom', path: ['hubs', i, 'id'], message: `duplicate hub id "${h.id}"` });
      hubIds.add(h.id);
    });
    const tagKeys = new Set<string>();
    s.tags.forEach((t, i) => {
      if (!hubIds.has(t.hub))
        ctx.addIssue({ code: 'custom', path: ['tags', i, 'hub'], message: `no hub with id "${t.hub}"` });
      for (const k of [t.id, t.mac]) {
        if (k === undefined) continue;
        if (tagKeys.has(k))
          ctx.addIssue({ code: 'custom', path: ['tags', i], message: `duplicate tag "${k}"` });
        tagKeys.add(k);
      }
    });
    const tagRef = (ref: string): boolean => tagKeys.has(ref) || tagKeys.has(normalizeMac(ref) ?? '');
    s.events.forEach((e, i) => {
      if (e.at > s.duration)
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'at'],
          message: 'is after the end of the scenario',
        });
      const key = EVENT_KINDS.find((k) => e[k] !== undefined)!;
      const body = e[key] as { hub?: string; tags?: string[]; tag?: string; to?: string };
      if (body.hub !== undefined && !hubIds.has(body.hub))
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, key, 'hub'],
          message: `no hub with id "${body.hub}"`,
        });
      if (body.to !== undefined && !hubIds.has(body.to))
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, key, 'to'],
          message: `no hub with id "${body.to}"`,
        });
      if (body.tag !== undefined && !tagRef(body.tag))
        ctx.addIssue({ code: 'custom', path: ['events', i, key, 'tag'], message: `no tag "${body.tag}"` });
      body.tags?.forEach((t, j) => {
        if (!tagRef(t))
          ctx.addIssue({ code: 'custom', path: ['events', i, key, 'tags', j], message: `no tag "${t}"` });
      });
    });
    if (s.sampling > s.publish)
      ctx.addIssue({
        code: 'custom',
        path: ['sampling'],
        message: 'must not exceed publish (a message would go out empty)',
      });
  });

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioEvent = Scenario['events'][number];
export type ScenarioHub = Scenario['hubs'][number];
export type ScenarioTag = Scenario['tags'][number];
