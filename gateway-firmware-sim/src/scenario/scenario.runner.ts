import { join } from 'node:path';
import { imeiFromBody } from '@coldchain/contract';
import type { EpochMs } from '@coldchain/domain';
import { DEFAULTS } from '../defaults.js';
import { BrokerUnreachableError } from '../errors/broker-unreachable.error.js';
import { CredentialsRefusedError } from '../errors/credentials-refused.error.js';
import { DEMO_ROUTE, RoutePlayback } from '../gps/route-playback.js';
import { SimulatedHub, type HubEvent, type HubStats } from '../hub/simulated-hub.js';
import type { TlsOptions } from '../mqtt/hub-link.js';
import { DiskSampleQueue, type QueueRecovery } from '../queue/disk-sample-queue.js';
import { MemorySampleQueue } from '../queue/memory-sample-queue.js';
import type { SampleQueue } from '../queue/sample-queue.js';
import { hash32, SeededRandom } from '../random/seeded-random.js';
import { VirtualTag } from '../sensors/virtual-tag.js';
import { formatDuration } from '../time/duration.js';
import { DriftingClock } from '../time/hub-clock.js';
import { VirtualScheduler } from '../time/scheduler.js';
import type { Scenario, ScenarioEvent } from './scenario.schema.js';

export interface HubCredential {
  imei: string;
  secret: string;
}

/** A tag known to the platform (from demo-credentials.json): used for scenario tags without a MAC, hub by hub. */
export interface KnownTag {
  mac: string;
  hub: string;
}

export interface ScenarioRunOptions {
  brokerUrl: string;
  tls?: TlsOptions;
  /** Credentials for hubs that name none, taken in order (demo-credentials.json or flags). */
  credentials?: HubCredential[];
  /** Tags the platform knows, for scenario tags without a MAC. */
  knownTags?: KnownTag[];
  /** Overrides the file's seed (`--seed`). */
  seed?: number;
  /** Overrides the file's speed. */
  speed?: 'max' | number;
  /** World start time; default the file's `start`, else now. */
  startAt?: EpochMs;
  /** Disk queues under `<queueDir>/<imei>` (survive a restart); default memory queues. */
  queueDir?: string;
  /** How long to wait, after the last simulated instant, for every buffered reading to be acknowledged, ms (real time). */
  drainTimeoutMs?: number;
  log?: (line: string) => void;
  /** Aborting stops the run early (SIGINT); the report says so. */
  signal?: AbortSignal;
  /** Called once the world is built, before any hub connects (progress display, tests). */
  onWorld?: (world: ScenarioWorld) => void;
}

export interface ScenarioHubReport {
  id: string;
  imei: string;
  stats: HubStats;
  /** Hub clock error at the end (drift), ms. */
  clockErrorMs: number;
  recovery?: QueueRecovery;
}

export interface ScenarioReport {
  scenario: string;
  seed: number;
  startAt: EpochMs;
  endAt: EpochMs;
  simulatedMs: number;
  realMs: number;
  /** True when every reading measured was acknowledged before the end (nothing left buffered). */
  drained: boolean;
  aborted: boolean;
  eventsApplied: number;
  hubs: ScenarioHubReport[];
  totals: HubStats;
}

/** The handle of a scenario being built, for tests that drive it step by step. */
export interface ScenarioWorld {
  scheduler: VirtualScheduler;
  hubs: Map<string, SimulatedHub>;
  tags: Map<string, VirtualTag>;
  clocks: Map<string, DriftingClock>;
  queues: Map<string, SampleQueue>;
  startAt: EpochMs;
  endAt: EpochMs;
  seed: number;
}

/** Locally administered, unicast MAC (second hex digit 2) derived from the seed and the tag's index. */
function generatedMac(seed: number, index: number): string {
  const h = hash32(`${seed}:tag:${index}`);
  const bytes = [0x02, 0x4b, (h >>> 24) & 0xff, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/** A valid IMEI derived from the seed and the hub id (TAC 35 69 38 03: a test range). */
function generatedImei(seed: number, hubId: string): string {
  const serial = String(hash32(`${seed}:hub:${hubId}`) % 1_000_000).padStart(6, '0');
  return imeiFromBody(`35693803${serial}`);
}

/**
 * Builds the world a scenario describes (tags, hubs, queues, the event
 * timeline) on a VirtualScheduler, without starting anything.
 */
export function buildScenarioWorld(scn: Scenario, opts: ScenarioRunOptions): ScenarioWorld {
  const seed = opts.seed ?? scn.seed;
  const root = new SeededRandom(seed);
  const startAt = opts.startAt ?? (scn.start ? Date.parse(scn.start) : Date.now());
  const speed = opts.speed ?? scn.speed;
  const scheduler = new VirtualScheduler(startAt, {
    speed: speed === 'max' ? Number.POSITIVE_INFINITY : speed,
  });
  const log = opts.log ?? (() => undefined);
  const stamp = () => `[+${formatDuration(scheduler.now() - startAt)}]`;

  // Identities: the file's, else the credentials in order, else generated.
  const spare = [...(opts.credentials ?? [])].filter((c) => !scn.hubs.some((h) => h.imei === c.imei));
  const hubIdentity = new Map<string, HubCredential>();
  for (const h of scn.hubs) {
    const imei = h.imei ?? spare.shift()?.imei ?? generatedImei(seed, h.id);
    const secret = h.secret ?? opts.credentials?.find((c) => c.imei === imei)?.secret ?? 'sim-secret';
    hubIdentity.set(h.id, { imei, secret });
  }
  const knownByHub = new Map<string, string[]>();
  for (const t of opts.knownTags ?? []) knownByHub.set(t.hub, [...(knownByHub.get(t.hub) ?? []), t.mac]);

  const tags = new Map<string, VirtualTag>(); // by id and by MAC
  const tagHub = new Map<VirtualTag, string>();
  const allTags: VirtualTag[] = [];
  scn.tags.forEach((t, i) => {
    const hubImei = hubIdentity.get(t.hub)!.imei;
    const mac = t.mac ?? knownByHub.get(hubImei)?.shift() ?? generatedMac(seed, i);
    const tag = new VirtualTag(
      {
        mac,
        setpointC: t.setpoint,
        ambientC: t.ambient,
        humidityPct: t.humidity,
        ambientHumidityPct: t.ambientHumidity,
        co2: t.co2,
        co2RespirationPpmPerH: t.co2RespirationPpmPerH,
        batteryStartPct: t.battery.start,
        batteryPerMeasurementPct: t.battery.perMeasurement,
      },
      startAt,
      root.fork(`tag:${mac}`),
    );
    tags.set(mac, tag);
    if (t.id) tags.set(t.id, tag);
    tagHub.set(tag, t.hub);
    allTags.push(tag);
  });

  const hubs = new Map<string, SimulatedHub>();
  const clocks = new Map<string, DriftingClock>();
  const queues = new Map<string, SampleQueue>();
  for (const h of scn.hubs) {
    const { imei, secret } = hubIdentity.get(h.id)!;
    const hr = root.fork(`hub:${h.id}`);
    const clock = new DriftingClock(scheduler, h.clock.driftPpm, h.clock.offset, startAt);
    const route =
      h.gps === true
        ? DEMO_ROUTE
        : h.gps === false
          ? undefined
          : {
              ...h.gps,
              waypoints: h.gps.waypoints.map((w) => ({
                ...w,
                dwellS: w.dwell !== undefined ? w.dwell / 1000 : undefined,
              })),
            };
    const queue: SampleQueue = opts.queueDir
      ? new DiskSampleQueue({
          dir: join(opts.queueDir, imei),
          maxReadings: scn.queue.maxReadings,
          whenFull: scn.queue.whenFull,
        })
      : new MemorySampleQueue({ maxReadings: scn.queue.maxReadings, whenFull: scn.queue.whenFull });
    const hub = new SimulatedHub({
      imei,
      secret,
      brokerUrl: opts.brokerUrl,
      tls: opts.tls,
      scheduler,
      hubClock: clock,
      tags: allTags.filter((t) => tagHub.get(t) === h.id),
      gps: route ? new RoutePlayback(route, startAt, hr.fork('gps')) : undefined,
      queue,
      samplingIntervalMs: scn.sampling,
      publishIntervalMs: scn.publish,
      random: hr,
      onEvent: (e) => describeHubEvent(e, h.id, stamp, log),
    });
    hubs.set(h.id, hub);
    clocks.set(h.id, clock);
    queues.set(h.id, queue);
  }

  const findTags = (body: { hub?: string; tags?: string[] }): VirtualTag[] =>
    body.hub !== undefined
      ? hubs.get(body.hub)!.tagMacs.map((m) => tags.get(m)!)
      : body.tags!.map((ref) => tags.get(ref) ?? tags.get(ref.toUpperCase())!);
  const who = (body: { hub?: string; tags?: string[] }) =>
    body.hub !== undefined ? `hub ${body.hub}` : `tags ${body.tags!.join(', ')}`;

  const apply = (e: ScenarioEvent): void => {
    const now = scheduler.now();
    const later = (ms: number | undefined, fn: () => void) => {
      if (ms !== undefined) scheduler.at(now + ms, fn);
    };
    if (e.door) {
      const d = e.door;
      const targets = findTags(d);
      for (const t of targets) t.setDoor(d.open, now);
      log(
        `${stamp()} ${who(d)}: door ${d.open ? 'opened' : 'closed'}${d.for ? ` for ${formatDuration(d.for)}` : ''}`,
      );
      later(d.for, () => {
        for (const t of targets) t.setDoor(!d.open, scheduler.now());
        log(`${stamp()} ${who(d)}: door ${d.open ? 'closed' : 'opened'}`);
      });
    } else if (e.compressor) {
      const c = e.compressor;
      const targets = findTags(c);
      for (const t of targets) t.setCompressor(c.ok, now);
      log(`${stamp()} ${who(c)}: compressor ${c.ok ? 'running' : 'failed'}`);
      later(c.for, () => {
        for (const t of targets) t.setCompressor(!c.ok, scheduler.now());
        log(`${stamp()} ${who(c)}: compressor ${c.ok ? 'failed' : 'repaired'}`);
      });
    } else if (e.ambient) {
      for (const t of findTags(e.ambient)) {
        t.advanceTo(now);
        t.thermal.setAmbient(e.ambient.celsius);
      }
      log(`${stamp()} ${who(e.ambient)}: ambient ${e.ambient.celsius} °C`);
    } else if (e.network) {
      const n = e.network;
      const hub = hubs.get(n.hub)!;
      hub.setNetwork(n.up);
      log(
        `${stamp()} hub ${n.hub}: cellular ${n.up ? 'back' : 'lost'}${n.for ? ` for ${formatDuration(n.for)}` : ''}`,
      );
      later(n.for, () => {
        hub.setNetwork(!n.up);
        log(`${stamp()} hub ${n.hub}: cellular ${n.up ? 'lost' : 'back'}`);
      });
    } else if (e.handover) {
      const h = e.handover;
      const tag = tags.get(h.tag) ?? tags.get(h.tag.toUpperCase())!;
      for (const hub of hubs.values()) hub.removeTag(tag.mac);
      tag.advanceTo(now);
      if (h.setpoint !== undefined) tag.thermal.setSetpoint(h.setpoint);
      if (h.ambient !== undefined) tag.thermal.setAmbient(h.ambient);
      hubs.get(h.to)!.addTag(tag);
      log(`${stamp()} tag ${tag.mac}: handed over to hub ${h.to}`);
    } else if (e.battery) {
      const b = e.battery;
      const tag = tags.get(b.tag) ?? tags.get(b.tag.toUpperCase())!;
      tag.setBattery(b.pct, b.perMeasurement);
      log(`${stamp()} tag ${tag.mac}: battery ${b.pct} %`);
    } else if (e.clockSync) {
      const clock = clocks.get(e.clockSync.hub)!;
      const before = clock.errorMs;
      clock.sync();
      log(
        `${stamp()} hub ${e.clockSync.hub}: clock synchronised (was ${before >= 0 ? '+' : ''}${before} ms off)`,
      );
    }
  };
  for (const e of scn.events) scheduler.at(startAt + e.at, () => apply(e));

  return { scheduler, hubs, tags, clocks, queues, startAt, endAt: startAt + scn.duration, seed };
}

/**
 * Plays a scenario against a broker: connects every hub (failing fast on
 * refused credentials or an unreachable broker), runs simulated time to the
 * end, publishes the last round, waits (bounded) for every buffered reading
 * to be acknowledged, and stops every hub cleanly.
 */
export async function runScenario(scn: Scenario, opts: ScenarioRunOptions): Promise<ScenarioReport> {
  const realStart = Date.now();
  const world = buildScenarioWorld(scn, opts);
  opts.onWorld?.(world);
  const hubs = [...world.hubs.values()];
  const log = opts.log ?? (() => undefined);
  let eventsApplied = 0;
  try {
    for (const h of hubs) h.start();
    const outcomes = await Promise.all(hubs.map((h) => h.whenFirstAttemptSettled()));
    const refused = outcomes.filter((o): o is Extract<HubEvent, { kind: 'refused' }> => o.kind === 'refused');
    if (refused.length)
      throw new CredentialsRefusedError(
        refused.map((o) => o.imei),
        refused[0].returnCode,
      );
    const unreachable = outcomes.find(
      (o): o is Extract<HubEvent, { kind: 'unreachable' }> => o.kind === 'unreachable',
    );
    if (unreachable && outcomes.every((o) => o.kind === 'unreachable'))
      throw new BrokerUnreachableError(opts.brokerUrl, unreachable.error);
    log(
      `scenario ${scn.name}: ${hubs.length} hub(s), ${scn.tags.length} tag(s), ${formatDuration(scn.duration)} of simulated time, seed ${world.seed}`,
    );
    eventsApplied = scn.events.length;
    // At "max" speed, simulated time waits (bounded) for PUBACKs before moving on: a real hub's message is
    // acknowledged long before its next period, and without this wait fast time would cut sessions mid-flight.
    const maxSpeed = (opts.speed ?? scn.speed) === 'max';
    const ackWaitMs = DEFAULTS.maxSpeedAckWaitMs;
    const beforeEvent = maxSpeed
      ? () => {
          const busy = hubs.filter((h) => !h.idle);
          return busy.length
            ? settleWithin(Promise.all(busy.map((h) => h.whenIdle())), ackWaitMs, opts.signal).then(
                () => undefined,
              )
            : undefined;
        }
      : undefined;
    await world.scheduler.runUntil(world.endAt, opts.signal, beforeEvent);
    const aborted = opts.signal?.aborted ?? false;
    let drained = false;
    if (!aborted) {
      for (const h of hubs) h.publishNow();
      drained = await settleWithin(
        Promise.all(hubs.map((h) => h.whenDrained())),
        opts.drainTimeoutMs ?? DEFAULTS.scenarioDrainTimeoutMs,
        opts.signal,
      );
    }
    const hubReports: ScenarioHubReport[] = scn.hubs.map((spec) => {
      const hub = world.hubs.get(spec.id)!;
      const q = world.queues.get(spec.id)!;
      const r: ScenarioHubReport = {
        id: spec.id,
        imei: hub.imei,
        stats: hub.stats(),
        clockErrorMs: world.clocks.get(spec.id)!.errorMs,
      };
      if (q instanceof DiskSampleQueue) r.recovery = q.recovery;
      return r;
    });
    const totals = hubReports.reduce<HubStats>(
      (t, h) => ({
        sent: t.sent + h.stats.sent,
        acked: t.acked + h.stats.acked,
        readingsSent: t.readingsSent + h.stats.readingsSent,
        readingsAcked: t.readingsAcked + h.stats.readingsAcked,
        buffered: t.buffered + h.stats.buffered,
        dropped: t.dropped + h.stats.dropped,
        reconnects: t.reconnects + h.stats.reconnects,
      }),
      { sent: 0, acked: 0, readingsSent: 0, readingsAcked: 0, buffered: 0, dropped: 0, reconnects: 0 },
    );
    return {
      scenario: scn.name,
      seed: world.seed,
      startAt: world.startAt,
      endAt: world.scheduler.now(),
      simulatedMs: world.scheduler.now() - world.startAt,
      realMs: Date.now() - realStart,
      drained,
      aborted,
      eventsApplied,
      hubs: hubReports,
      totals,
    };
  } finally {
    await Promise.all(hubs.map((h) => h.stop()));
    for (const q of world.queues.values()) q.close();
  }
}

/** True if `p` settles within `ms` (real time), false on timeout or abort. */
async function settleWithin(p: Promise<unknown>, ms: number, signal?: AbortSignal): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    onAbort = () => resolve(false);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

function describeHubEvent(
  e: HubEvent,
  hubId: string,
  stamp: () => string,
  log: (line: string) => void,
): void {
  switch (e.kind) {
    case 'online':
      if (e.reconnect) log(`${stamp()} hub ${hubId}: reconnected, replaying its buffer`);
      return;
    case 'offline':
      log(`${stamp()} hub ${hubId}: offline (${e.reason}), buffering`);
      return;
    case 'refused':
      log(`${stamp()} hub ${hubId}: broker refused credentials (CONNACK ${e.returnCode})`);
      return;
    case 'unreachable':
      log(`${stamp()} hub ${hubId}: broker unreachable (${e.error.message})`);
      return;
    case 'config':
      log(`${stamp()} hub ${hubId}: config ${JSON.stringify(e.config)} applied`);
      return;
    case 'bad-config':
      log(`${stamp()} hub ${hubId}: config ignored (${e.detail})`);
      return;
    case 'queue-full':
      log(`${stamp()} hub ${hubId}: queue full, dropping readings per policy (counted)`);
      return;
  }
}
