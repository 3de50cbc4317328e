import { isValidImei, normalizeMac } from '@coldchain/contract';
import { DEFAULTS } from '../defaults.js';
import { BrokerUnreachableError } from '../errors/broker-unreachable.error.js';
import { CredentialsRefusedError } from '../errors/credentials-refused.error.js';
import { InvalidOptionError } from '../errors/invalid-option.error.js';
import { DEMO_ROUTE, RoutePlayback, type RouteSpec } from '../gps/route-playback.js';
import { SimulatedHub, type HubEvent } from '../hub/simulated-hub.js';
import type { TlsOptions } from '../mqtt/hub-link.js';
import { MemorySampleQueue } from '../queue/memory-sample-queue.js';
import type { QueueFullPolicy, SampleQueue } from '../queue/sample-queue.js';
import { SeededRandom } from '../random/seeded-random.js';
import { VirtualTag } from '../sensors/virtual-tag.js';
import { RealTimeScheduler } from '../time/scheduler.js';

export interface FleetHubSpec {
  /** 15-digit IMEI with a valid Luhn digit. */
  imei: string;
  /** The hub's MQTT password. */
  secret: string;
  tags: Array<{ mac: string; setpointC?: number }>;
}

export interface FleetOptions {
  /** e.g. `mqtt://127.0.0.1:1883` or `mqtts://…` */
  brokerUrl: string;
  hubs: FleetHubSpec[];
  /** Each hub samples its tags and publishes one telemetry message (one reading per tag) this often, ms. */
  publishIntervalMs: number;
  /** Seed of every simulated value (sensor noise, GPS, jitter). Default 1. */
  seed?: number;
  /** Include a GPS fix (playback of a built-in route, hubs spread along it). */
  gps?: boolean;
  /** Route for `gps`; default DEMO_ROUTE. */
  route?: RouteSpec;
  /** Occasional state changes only (first connections, losses, refusals, full queues); never per message. */
  log?: (line: string) => void;
  tls?: TlsOptions;
  /** Per-hub store-and-forward bound, readings. Default DEFAULTS.queueMaxReadings. */
  queueMaxReadings?: number;
  queueFullPolicy?: QueueFullPolicy;
  /**
   * Builds each hub's queue (e.g. a DiskSampleQueue under a directory);
   * default a MemorySampleQueue bounded by queueMaxReadings.
   */
  queueFactory?: (imei: string) => SampleQueue;
  /**
   * When true (default), `startFleet` waits for every hub's first connection
   * attempt and rejects with CredentialsRefusedError if the broker refused any
   * hub's credentials, or BrokerUnreachableError if no hub could reach it
   * (after stopping what it started). When false it resolves at once and hubs
   * keep retrying with backoff, like firmware in the field.
   */
  failFast?: boolean;
}

export interface FleetStats {
  /** Telemetry messages published (republications after a lost session included). */
  sent: number;
  /** Telemetry messages acknowledged (PUBACK). */
  acked: number;
  /** Readings queued in hubs and not yet acknowledged (in flight included). */
  buffered: number;
  /** Sessions re-established after a hub's first. */
  reconnects: number;
  readingsSent: number;
  readingsAcked: number;
  /** Readings discarded by full queues. */
  dropped: number;
  /** Hubs with an open MQTT session now. */
  online: number;
  hubs: number;
}

export interface Fleet {
  stats(): FleetStats;
  /** The simulated hubs (for scenarios and tests: network switches, tags, queues). */
  readonly hubs: readonly SimulatedHub[];
  /**
   * Stops every hub: each publishes `offline` (retained) and disconnects
   * cleanly (see HubLink.stop), timers are cleared, queues closed. Resolves
   * once every socket is closed. Readings still in memory queues are counted
   * in the last stats() and lost (disk queues keep them for the next start).
   */
  stop(): Promise<void>;
}

/** Lines of per-hub state changes a fleet logs per second at most; the rest are counted and summarised. */
const LOG_LINES_PER_S = 5;

/**
 * Starts a fleet of simulated K-HUBs in real time against a broker. Each hub
 * is a SimulatedHub with VirtualTags at their set points (thermal model,
 * no door openings or failures: scenarios add those) and a memory queue
 * unless `queueFactory` says otherwise. Hubs are spread over the publishing
 * period (phase i/n) so a fleet publishes evenly, not in bursts.
 */
export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const problems = checkOptions(opts);
  if (problems.length) throw new InvalidOptionError('invalid fleet options', problems);
  const log = rateLimitedLog(opts.log);
  const scheduler = new RealTimeScheduler();
  const root = new SeededRandom(opts.seed ?? 1);
  const startAt = scheduler.now();
  const n = opts.hubs.length;
  const route = opts.route ?? DEMO_ROUTE;

  const firstOutcome = new Map<string, (e: HubEvent) => void>();
  const onEvent = (e: HubEvent) => {
    firstOutcome.get(e.imei)?.(e);
    describeEvent(e, log);
  };

  const hubs = opts.hubs.map((spec, i) => {
    const hr = root.fork(`hub:${spec.imei}`);
    const tags = spec.tags.map(
      (t) =>
        new VirtualTag(
          { mac: normalizeMac(t.mac)!, setpointC: t.setpointC },
          startAt,
          root.fork(`tag:${normalizeMac(t.mac)}`),
        ),
    );
    const gps = opts.gps
      ? new RoutePlayback(route, startAt, hr.fork('gps'), (i / Math.max(1, n)) * 3600 * 4)
      : undefined;
    const queue =
      opts.queueFactory?.(spec.imei) ??
      new MemorySampleQueue({
        maxReadings: opts.queueMaxReadings ?? DEFAULTS.queueMaxReadings,
        whenFull: opts.queueFullPolicy ?? 'drop-oldest',
      });
    return new SimulatedHub({
      imei: spec.imei,
      secret: spec.secret,
      brokerUrl: opts.brokerUrl,
      tls: opts.tls,
      scheduler,
      tags,
      gps,
      queue,
      samplingIntervalMs: opts.publishIntervalMs,
      publishIntervalMs: opts.publishIntervalMs,
      phaseMs: Math.floor((i / Math.max(1, n)) * opts.publishIntervalMs),
      random: hr,
      onEvent,
    });
  });
  let stopped = false;
  const fleet: Fleet = {
    hubs,
    stats: () => aggregate(hubs),
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all(hubs.map((h) => h.stop()));
      scheduler.cancelAll();
      for (const h of hubs) h.closeQueue();
      log.flush();
    },
  };
  // Open first connections at most `fleetConnectConcurrency` at a time.
  const outcomes: HubEvent[] = [];
  let next = 0;
  const startOne = async (): Promise<void> => {
    while (next < hubs.length && !stopped) {
      const hub = hubs[next++];
      const settled = new Promise<HubEvent>((resolve) => firstOutcome.set(hub.imei, resolve));
      hub.start();
      const e = await settled;
      firstOutcome.delete(hub.imei);
      outcomes.push(e);
      if (opts.failFast !== false && e.kind === 'refused') break; // no use hammering the broker with more
    }
  };
  const workers = Array.from({ length: Math.min(DEFAULTS.fleetConnectConcurrency, n) }, () => startOne());
  if (opts.failFast === false) {
    void Promise.all(workers);
    return fleet;
  }
  await Promise.all(workers);

  const refused = outcomes.filter((e): e is Extract<HubEvent, { kind: 'refused' }> => e.kind === 'refused');
  if (refused.length > 0) {
    await fleet.stop();
    throw new CredentialsRefusedError(
      refused.map((e) => e.imei),
      refused[0].returnCode,
    );
  }
  const unreachable = outcomes.filter(
    (e): e is Extract<HubEvent, { kind: 'unreachable' }> => e.kind === 'unreachable',
  );
  if (unreachable.length === outcomes.length && outcomes.length > 0) {
    await fleet.stop();
    throw new BrokerUnreachableError(opts.brokerUrl, unreachable[0].error);
  }
  const online = aggregate(hubs).online;
  log(
    `fleet: ${online}/${n} hubs online, ${opts.hubs.reduce((s, h) => s + h.tags.length, 0)} tags, publishing every ${opts.publishIntervalMs} ms`,
  );
  return fleet;
}

function checkOptions(opts: FleetOptions): string[] {
  const problems: string[] = [];
  if (!/^mqtts?:\/\/|^tcp:\/\/|^tls:\/\/|^wss?:\/\//.test(opts.brokerUrl ?? ''))
    problems.push(`brokerUrl "${opts.brokerUrl}" must be mqtt://host:port or mqtts://host:port`);
  if (!(opts.publishIntervalMs >= 100))
    problems.push(`publishIntervalMs must be ≥ 100 ms, got ${opts.publishIntervalMs}`);
  const seen = new Set<string>();
  opts.hubs.forEach((h, i) => {
    if (!isValidImei(h.imei))
      problems.push(`hubs[${i}].imei "${h.imei}" is not a 15-digit IMEI with a valid Luhn digit`);
    if (seen.has(h.imei))
      problems.push(
        `hubs[${i}].imei ${h.imei} appears twice (two hubs with one clientId would kick each other off)`,
      );
    seen.add(h.imei);
    if (typeof h.secret !== 'string' || h.secret.length === 0)
      problems.push(`hubs[${i}].secret must be a non-empty string`);
    if (h.tags.length > 1000)
      problems.push(`hubs[${i}].tags: at most 1000 tags per hub (one message carries ≤ 1000 readings)`);
    h.tags.forEach((t, j) => {
      if (normalizeMac(t.mac) === undefined)
        problems.push(`hubs[${i}].tags[${j}].mac "${t.mac}" is not a MAC address`);
      if (t.setpointC !== undefined && !(t.setpointC >= -100 && t.setpointC <= 100))
        problems.push(`hubs[${i}].tags[${j}].setpointC must be within −100…100 °C`);
    });
  });
  return problems;
}

function aggregate(hubs: readonly SimulatedHub[]): FleetStats {
  const s: FleetStats = {
    sent: 0,
    acked: 0,
    buffered: 0,
    reconnects: 0,
    readingsSent: 0,
    readingsAcked: 0,
    dropped: 0,
    online: 0,
    hubs: hubs.length,
  };
  for (const h of hubs) {
    const x = h.stats();
    s.sent += x.sent;
    s.acked += x.acked;
    s.buffered += x.buffered;
    s.reconnects += x.reconnects;
    s.readingsSent += x.readingsSent;
    s.readingsAcked += x.readingsAcked;
    s.dropped += x.dropped;
    if (h.linkState === 'online') s.online++;
  }
  return s;
}

function describeEvent(e: HubEvent, log: (line: string) => void): void {
  switch (e.kind) {
    case 'online':
      if (e.reconnect) log(`hub ${e.imei}: reconnected`);
      return;
    case 'offline':
      log(`hub ${e.imei}: offline (${e.reason}); buffering`);
      return;
    case 'refused':
      log(`hub ${e.imei}: broker refused credentials (CONNACK ${e.returnCode})`);
      return;
    case 'unreachable':
      log(`hub ${e.imei}: broker unreachable (${e.error.message}); retrying with backoff`);
      return;
    case 'config':
      log(`hub ${e.imei}: config ${JSON.stringify(e.config)} applied`);
      return;
    case 'bad-config':
      log(`hub ${e.imei}: config ignored (${e.detail})`);
      return;
    case 'queue-full':
      log(
        `hub ${e.imei}: store-and-forward queue full, dropping readings (policy applies; counted in "dropped")`,
      );
      return;
  }
}

/** At most LOG_LINES_PER_S lines per second; the overflow is summarised in the next allowed line. */
function rateLimitedLog(
  sink: ((line: string) => void) | undefined,
): ((line: string) => void) & { flush(): void } {
  let windowStart = 0;
  let inWindow = 0;
  let suppressed = 0;
  const fn = ((line: string) => {
    if (!sink) return;
    const now = Date.now();
    if (now - windowStart >= 1000) {
      windowStart = now;
      inWindow = 0;
      if (suppressed > 0) {
        sink(`(${suppressed} similar hub events not shown)`);
        suppressed = 0;
      }
    }
    if (inWindow++ < LOG_LINES_PER_S) sink(line);
    else suppressed++;
  }) as ((line: string) => void) & { flush(): void };
  fn.flush = () => {
    if (sink && suppressed > 0) sink(`(${suppressed} similar hub events not shown)`);
    suppressed = 0;
  };
  return fn;
}
