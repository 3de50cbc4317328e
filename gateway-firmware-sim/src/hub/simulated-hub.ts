import { hubTopic, type HubConfigV1, type TelemetryPayloadV1 } from '@coldchain/contract';
import type { Clock, EpochMs } from '@coldchain/domain';
import { DEFAULTS } from '../defaults.js';
import { HubLink, type LinkState, type TlsOptions } from '../mqtt/hub-link.js';
import type { SeededRandom } from '../random/seeded-random.js';
import type { QueuedSample, SampleQueue, WireGps, WireReading } from '../queue/sample-queue.js';
import type { VirtualTag } from '../sensors/virtual-tag.js';
import type { Scheduler, TimerHandle } from '../time/scheduler.js';

/** Something that knows where the hub is at a given world time (GPS route playback). */
export interface PositionSource {
  fixAt(worldAt: EpochMs, hubAt: EpochMs): WireGps | undefined;
}

export interface SimulatedHubOptions {
  imei: string;
  secret: string;
  brokerUrl: string;
  tls?: TlsOptions;
  /** World time (real or simulated). */
  scheduler: Scheduler;
  /** The hub's own clock, which stamps readings; defaults to world time (no drift). */
  hubClock?: Clock;
  /** Simulated tags this hub hears at start. */
  tags: VirtualTag[];
  /** Readings from elsewhere (BLE mode: what the scanner heard since the last round), collected at each sampling round. */
  source?: { collect(worldAt: EpochMs, hubAt: EpochMs): WireReading[] };
  gps?: PositionSource;
  queue: SampleQueue;
  /** Sampling period, ms (overridden by a config downlink's samplingIntervalS). */
  samplingIntervalMs: number;
  /** Publishing period, ms (overridden by a config downlink's publishIntervalS). */
  publishIntervalMs: number;
  /** Delay of the first round after start, ms: spreads a fleet's publications over the period. */
  phaseMs?: number;
  random: SeededRandom;
  maxInFlightMessages?: number;
  maxReadingsPerMessage?: number;
  /** First telemetry message seq (continues across restarts when the caller persists it). */
  firstMessageSeq?: number;
  /** Occasional state changes (online, offline, refused, queue full); never per message. */
  onEvent?: (event: HubEvent) => void;
}

export type HubEvent =
  | { kind: 'online'; imei: string; reconnect: boolean }
  | { kind: 'offline'; imei: string; reason: string }
  | { kind: 'refused'; imei: string; returnCode: number }
  | { kind: 'unreachable'; imei: string; error: Error }
  | { kind: 'config'; imei: string; config: HubConfigV1 }
  | { kind: 'bad-config'; imei: string; detail: string }
  | { kind: 'queue-full'; imei: string; droppedReadings: number };

export interface HubStats {
  /** Telemetry messages published (republications after a lost session included). */
  sent: number;
  /** Telemetry messages acknowledged (PUBACK). */
  acked: number;
  readingsSent: number;
  readingsAcked: number;
  /** Readings in the queue, not yet acknowledged (in flight included). */
  buffered: number;
  /** Readings discarded because the queue was full. */
  dropped: number;
  /** Sessions established after the first. */
  reconnects: number;
}

interface InFlight {
  firstId: number;
  lastId: number;
  readings: number;
  acked: boolean;
}

/**
 * A simulated K-HUB: samples the tags it hears on a period, appends each
 * round to its store-and-forward queue, and publishes the queue in measured
 * order on `khub/{imei}/telemetry` at QoS 1. A sample leaves the queue only
 * when the PUBACK of its message, and of every message before it, arrived.
 *
 * Publishing: at each publish tick, and when a session starts, the hub sends
 * what is queued up to that moment, at most `maxInFlightMessages` messages
 * in flight and `maxReadingsPerMessage` readings per message; each PUBACK
 * releases the next message of that backlog. A live hub therefore sends one
 * message per period; a reconnected hub drains its backlog as fast as the
 * broker acknowledges it.
 */
export class SimulatedHub {
  readonly imei: string;
  readonly link: HubLink;
  private readonly tags = new Map<string, VirtualTag>();
  private samplingMs: number;
  private publishMs: number;
  private nextSampleAt: EpochMs;
  private nextPublishAt: EpochMs;
  private timer: TimerHandle | undefined;
  private sentThroughId: number;
  /** Last queued id the current flush aims at (publish tick or session start). */
  private flushTargetId = 0;
  private inflight: InFlight[] = [];
  private msgSeq: number;
  private running = false;
  private queueFullEpisode = false;
  private drainWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];
  private readonly counters = { sent: 0, acked: 0, readingsSent: 0, readingsAcked: 0 };
  private firstAttempt: Promise<HubEvent> | undefined;
  private settleFirstAttempt: ((e: HubEvent) => void) | undefined;
  private readonly hubClock: Clock;
  private readonly maxInFlight: number;
  private readonly maxReadings: number;

  constructor(private readonly opts: SimulatedHubOptions) {
    this.imei = opts.imei;
    this.hubClock = opts.hubClock ?? opts.scheduler;
    for (const t of opts.tags) this.tags.set(t.mac, t);
    this.samplingMs = opts.samplingIntervalMs;
    this.publishMs = opts.publishIntervalMs;
    const first = opts.scheduler.now() + (opts.phaseMs ?? 0);
    this.nextSampleAt = first;
    this.nextPublishAt = first;
    const persisted = opts.queue.meta?.nextMessageSeq;
    this.msgSeq =
      typeof persisted === 'number' && Number.isInteger(persisted) ? persisted : (opts.firstMessageSeq ?? 0);
    this.maxInFlight = opts.maxInFlightMessages ?? DEFAULTS.maxInFlightMessages;
    this.maxReadings = Math.min(opts.maxReadingsPerMessage ?? DEFAULTS.maxReadingsPerMessage, 1000);
    this.sentThroughId = opts.queue.ackedThroughId;
    this.link = new HubLink({
      brokerUrl: opts.brokerUrl,
      imei: opts.imei,
      secret: opts.secret,
      tls: opts.tls,
      random: opts.random,
    });
    this.firstAttempt = new Promise((resolve) => (this.settleFirstAttempt = resolve));
    const emit = (e: HubEvent) => {
      if (e.kind === 'online' || e.kind === 'refused' || e.kind === 'unreachable') {
        this.settleFirstAttempt?.(e);
        this.settleFirstAttempt = undefined;
      }
      opts.onEvent?.(e);
    };
    this.link
      .on('online', () => {
        emit({ kind: 'online', imei: this.imei, reconnect: this.link.reconnects > 0 });
        // A session starts: resend what was in flight, then the backlog gathered while offline.
        this.resetCursor();
        this.flushTargetId = opts.queue.lastId;
        this.pump();
      })
      .on('offline', (reason) => {
        this.resetCursor();
        emit({ kind: 'offline', imei: this.imei, reason });
      })
      .on('refused', (returnCode) => emit({ kind: 'refused', imei: this.imei, returnCode }))
      .on('unreachable', (error) => emit({ kind: 'unreachable', imei: this.imei, error }))
      .on('badConfig', (detail) => emit({ kind: 'bad-config', imei: this.imei, detail }))
      .on('config', (config) => {
        this.applyConfig(config);
        emit({ kind: 'config', imei: this.imei, config });
      });
  }

  get linkState(): LinkState {
    return this.link.state;
  }

  /** Current sampling and publishing periods, ms. */
  get intervals(): { samplingMs: number; publishMs: number } {
    return { samplingMs: this.samplingMs, publishMs: this.publishMs };
  }

  /** Next telemetry message seq (persist it to continue numbering after a restart). */
  get nextMessageSeq(): number {
    return this.msgSeq;
  }

  stats(): HubStats {
    return {
      ...this.counters,
      buffered: this.opts.queue.readings,
      dropped: this.opts.queue.droppedReadings,
      reconnects: this.link.reconnects,
    };
  }

  /** Connects and starts sampling. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.link.start();
    this.arm();
  }

  /** Simulated cellular coverage: see HubLink.setNetwork. Sampling goes on while down. */
  setNetwork(up: boolean): void {
    this.link.setNetwork(up);
  }

  /** A tag comes into range (handover from another hub, loaded onto the truck). */
  addTag(tag: VirtualTag): void {
    this.tags.set(tag.mac, tag);
  }

  /** A tag leaves range. */
  removeTag(mac: string): VirtualTag | undefined {
    const t = this.tags.get(mac);
    this.tags.delete(mac);
    return t;
  }

  get tagMacs(): string[] {
    return [...this.tags.keys()];
  }

  /** Obeys a config downlink: new periods take effect from now. */
  applyConfig(config: HubConfigV1): void {
    const now = this.opts.scheduler.now();
    if (config.samplingIntervalS !== undefined) {
      this.samplingMs = config.samplingIntervalS * 1000;
      this.nextSampleAt = now + this.samplingMs;
    }
    if (config.publishIntervalS !== undefined) {
      this.publishMs = config.publishIntervalS * 1000;
      this.nextPublishAt = now + this.publishMs;
    }
    if (this.running) this.arm();
  }

  /** Takes one sampling round now (world time) and queues it. Exposed for scenarios and tests. */
  sampleNow(): void {
    const worldAt = this.opts.scheduler.now();
    const at = this.hubClock.now();
    const readings: WireReading[] = this.opts.source ? this.opts.source.collect(worldAt, at) : [];
    for (const tag of this.tags.values()) {
      const r = tag.measure(worldAt, at);
      if (r) readings.push(r);
    }
    if (readings.length === 0) return;
    const gps = this.opts.gps?.fixAt(worldAt, at);
    const outcome = this.opts.queue.append(gps ? { at, gps, readings } : { at, readings });
    if (outcome.droppedReadings > 0) {
      if (!this.queueFullEpisode)
        this.opts.onEvent?.({
          kind: 'queue-full',
          imei: this.imei,
          droppedReadings: outcome.droppedReadings,
        });
      this.queueFullEpisode = true;
    } else {
      this.queueFullEpisode = false;
    }
  }

  /** Publishes what is queued now (a publish tick). Exposed for scenarios and tests. */
  publishNow(): void {
    // Samples appended after this point wait for the next tick.
    this.flushTargetId = this.opts.queue.lastId;
    this.pump();
  }

  /** The outcome of the first connection attempt after start(): online, refused or unreachable. */
  whenFirstAttemptSettled(): Promise<HubEvent> {
    return this.firstAttempt!;
  }

  /** True when no message is waiting for its PUBACK (or there is no session to wait on). */
  get idle(): boolean {
    return this.inflight.length === 0 || this.link.state !== 'online';
  }

  /** Resolves once `idle` holds: the broker acknowledged everything sent, or the session ended. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves once nothing is queued or in flight (everything measured so far is acknowledged). */
  whenDrained(): Promise<void> {
    if (this.opts.queue.length === 0 && this.inflight.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Stops sampling and ends the MQTT session cleanly (see HubLink.stop). Does not close the queue. */
  async stop(): Promise<void> {
    this.running = false;
    this.opts.scheduler.cancel(this.timer);
    this.timer = undefined;
    await this.link.stop();
    this.inflight = [];
    this.wakeIdle();
  }

  /** Closes the queue (a disk queue releases its files); call after stop(). */
  closeQueue(): void {
    this.opts.queue.close();
  }

  private arm(): void {
    this.opts.scheduler.cancel(this.timer);
    const at = Math.min(this.nextSampleAt, this.nextPublishAt);
    this.timer = this.opts.scheduler.at(at, () => this.tick());
  }

  private tick(): void {
    if (!this.running) return;
    const now = this.opts.scheduler.now();
    // Sample before publishing, so a round taken at the publish instant goes out with it.
    if (now >= this.nextSampleAt) {
      this.sampleNow();
      while (this.nextSampleAt <= now) this.nextSampleAt += this.samplingMs;
    }
    if (now >= this.nextPublishAt) {
      this.publishNow();
      while (this.nextPublishAt <= now) this.nextPublishAt += this.publishMs;
    }
    this.arm();
  }

  private resetCursor(): void {
    this.inflight = [];
    this.sentThroughId = this.opts.queue.ackedThroughId;
    this.wakeIdle();
  }

  private wakeIdle(): void {
    if (this.idleWaiters.length === 0 || !this.idle) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private pump(): void {
    if (this.link.state !== 'online') return;
    while (this.inflight.length < this.maxInFlight) {
      const batch = this.opts.queue.read(this.sentThroughId, this.maxReadings);
      const eligible = batch.filter((q) => q.id <= this.flushTargetId);
      if (eligible.length === 0) break;
      if (!this.send(eligible)) break;
    }
  }

  private send(batch: QueuedSample[]): boolean {
    const readings = [];
    let gps: WireGps | undefined;
    for (const q of batch) {
      for (const r of q.sample.readings) readings.push(r);
      if (q.sample.gps) gps = q.sample.gps; // the newest fix of the batch stands for the message
    }
    const payload: TelemetryPayloadV1 = {
      v: 1,
      hub: this.imei,
      seq: this.msgSeq,
      sentAt: this.hubClock.now(),
      readings,
    };
    if (gps) payload.gps = gps;
    const entry: InFlight = {
      firstId: batch[0].id,
      lastId: batch[batch.length - 1].id,
      readings: readings.length,
      acked: false,
    };
    const published = this.link.publish(hubTopic(this.imei, 'telemetry'), JSON.stringify(payload), (err) =>
      this.onAck(entry, err),
    );
    if (!published) return false;
    this.msgSeq++;
    if (this.opts.queue.meta) this.opts.queue.meta.nextMessageSeq = this.msgSeq; // persisted with the next removal
    this.inflight.push(entry);
    this.sentThroughId = entry.lastId;
    this.counters.sent++;
    this.counters.readingsSent += entry.readings;
    return true;
  }

  private onAck(entry: InFlight, err: Error | undefined): void {
    if (err) {
      // The session is ending; its offline event resets the cursor and the message goes again.
      return;
    }
    if (!this.inflight.includes(entry)) return;
    entry.acked = true;
    this.counters.acked++;
    this.counters.readingsAcked += entry.readings;
    // Remove from the queue only the acknowledged prefix (MQTT 3.1.1 §4.6 keeps PUBACKs in order; this does not rely on it).
    while (this.inflight.length > 0 && this.inflight[0].acked) {
      const done = this.inflight.shift()!;
      this.opts.queue.ackThrough(done.lastId);
    }
    this.pump();
    this.wakeIdle();
    if (this.opts.queue.length === 0 && this.inflight.length === 0 && this.drainWaiters.length > 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
  }
}
