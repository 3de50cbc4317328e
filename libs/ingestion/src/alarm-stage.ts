import {
  AlarmEngine,
  ProfileCompiler,
  type AlarmEvent,
  type EngineCounters,
  type EngineOutput,
  type TagSnapshot,
  type TripLookup,
} from '@coldchain/alarm-engine';
import type { BusPort, PartitionAssignment } from '@coldchain/bus';
import { ALARM_STATE_TOPIC, ALERTS_TOPIC, type HubStatus, type HubStatusEvent } from '@coldchain/contract';
import type { Clock, ProfileLookup, TelemetryRecord } from '@coldchain/domain';
import type { ColdchainMetrics } from '@coldchain/observability';

export interface AlarmStageLog {
  log(message: string): void;
  warn(message: string): void;
}

export interface AlarmStageConfig {
  bus: BusPort;
  profiles: ProfileLookup;
  metrics: ColdchainMetrics;
  clock: Clock;
  log: AlarmStageLog;
  trips?: TripLookup;
}

/** Lets callbacks queued behind a long synchronous step run (macrotask). */
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const COUNTER_NAMES: readonly (keyof EngineCounters)[] = [
  'records',
  'readings',
  'evaluated',
  'duplicates',
  'redelivered',
  'tooLate',
  'futureTimestamps',
  'staleTimestamps',
  'hubClockSkews',
  'unsortedRecords',
  'gaps',
  'missingMetrics',
  'lateReadings',
  'bufferOverflows',
  'noProfile',
  'invalidProfiles',
  'events',
];

/**
 * The alarm state of one consumed partition: its engine, the events and
 * changelog writes computed but not yet published, and a queue that keeps
 * batches, ticks and hub statuses from interleaving on the engine.
 */
class PartitionAlarms {
  /** Events computed but not yet accepted by the bus; published first next time (the engine will not recompute them). */
  unpublished: AlarmEvent[] = [];
  /** Changelog writes not yet accepted by the bus, latest per tag. */
  pendingChanges = new Map<string, TagSnapshot | null>();
  /**
   * The last changelog write of this partition (settled or not; never rejects). Every write waits
   * for the one before, so snapshots reach the changelog in the order they were taken.
   */
  writing: Promise<void> = Promise.resolve();
  /** Set when the partition is revoked: nothing more of its state is written. */
  dropped = false;
  /** Tag count last added to the process-wide gauge. */
  reportedTags = 0;
  private lastCounts: EngineCounters;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly partition: number,
    readonly engine: AlarmEngine,
  ) {
    this.lastCounts = engine.counters();
  }

  /** Runs `work` after every earlier piece of work on this partition settled. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Counter increases since the last call (one `counters()` copy per call, not per reading). */
  countsSinceLast(): [keyof EngineCounters, number][] {
    const now = this.engine.counters();
    const out: [keyof EngineCounters, number][] = [];
    for (const name of COUNTER_NAMES) {
      const d = now[name] - this.lastCounts[name];
      if (d > 0) out.push([name, d]);
    }
    this.lastCounts = now;
    return out;
  }
}

/**
 * Wires the alarm engine (`@coldchain/alarm-engine`) into ingest: one engine
 * per consumed partition, its state kept in the compacted changelog
 * `coldchain.alarm-state.v1` (docs/alarm-engine.md, "Recovery").
 *
 * Contracts:
 * - `onAssignment` drops the engines of revoked partitions and, for added
 *   ones, restores the engine from the changelog partition of the same number
 *   before any of that partition's readings are evaluated (`evaluate` of a
 *   partition not loaded yet loads it first).
 * - `evaluate`, `tick`, `onHubStatus`: the engine runs and its alert events
 *   are published; the changed tag snapshots are not, they wait for
 *   `checkpoint(partitions)`, which writes those partitions' changes (one
 *   snapshot per changed tag, however many calls changed it) and which the
 *   bus runs, a partition at a time in turn, before committing that
 *   partition's input offsets (`SubscribeOptions.commit`). Every
 *   call resolves only once the bus accepted what it publishes; if
 *   publishing fails it rejects, and what was not published is kept and
 *   published first by the next call on the partition. State a crash loses
 *   with its snapshots is rebuilt by the replay of the uncommitted telemetry
 *   and the next tick, which re-emit the same event keys.
 * - Exactly once per transition, end to end, rests on two things: a
 *   redelivered record (receive time not newer than the tag's last, in the
 *   restored state) is recognised by the engine and evaluated no more; a crash
 *   between publishing events and writing the changelog replays the batch from
 *   the older state, which re-emits the same events with the same `key`, and
 *   the notifier de-duplicates on `key`.
 * - Diagnostics go to metrics (`coldchain_alarm_engine_total`), never to a
 *   log line per reading; only an invalid profile (once per version) is logged.
 */
export class AlarmStage {
  private readonly partitions = new Map<number, Promise<PartitionAlarms>>();
  /** Latest status per hub (board), to seed new engines and to skip replayed history. */
  private readonly hubs = new Map<string, { status: HubStatus; at: number }>();
  private readonly compiler = new ProfileCompiler();

  constructor(private readonly config: AlarmStageConfig) {}

  /** Bus assignment callback of the telemetry subscription. */
  async onAssignment(change: PartitionAssignment): Promise<void> {
    for (const p of change.revoked) await this.drop(p);
    await Promise.all(this.loadMany(change.added));
    if (change.added.length > 0 || change.revoked.length > 0)
      this.config.log.log(
        `alarm state: partitions ${change.partitions.join(',') || 'none'} (added ${change.added.join(',') || '-'}, revoked ${change.revoked.join(',') || '-'})`,
      );
  }

  /** Evaluates one bus batch's records of `partition` (already stored) and publishes the outcome. */
  async evaluate(partition: number, records: readonly TelemetryRecord[]): Promise<void> {
    const pa = await this.load(partition);
    await pa.exclusive(async () => {
      const out = pa.engine.process(records, this.config.profiles, this.config.clock.now());
      await this.publish(pa, out);
    });
  }

  /**
   * Writes the changed tag snapshots of `partitions` (default: every one
   * loaded) to the changelog; resolves once the bus accepted them (then the
   * input offsets of those partitions' batches evaluated before the call may
   * be committed). The bus calls it one partition at a time, in turn
   * (`SubscribeOptions.commit`), so that each write is a partition's worth. Rejects with the first
   * failure, keeping what was not written for the next call (unless a newer
   * snapshot of the tag was taken meanwhile). Calls may overlap (the
   * shutdown `flush` with a timer checkpoint): a partition's writes are
   * chained in the order their snapshots were taken, and a tag changed by
   * many batches is packed once, when taken.
   *
   * Only taking the snapshots holds the partition's queue: the write itself
   * (megabytes at fleet scale, hundreds of ms on a loaded broker) runs while
   * the partition's next batches are evaluated and their alerts published.
   * The snapshots taken cover every batch evaluated before, which is all the
   * commit needs.
   */
  async checkpoint(partitions?: readonly number[]): Promise<void> {
    let failure: Error | undefined;
    const writes: Promise<void>[] = [];
    const chosen =
      partitions === undefined
        ? [...this.partitions.values()]
        : partitions.flatMap((p) => this.partitions.get(p) ?? []);
    for (const ready of chosen) {
      const pa = await ready.catch(() => undefined);
      if (pa === undefined) continue;
      // The write comes back wrapped: a promise returned as such would be awaited inside the queue.
      const taken = await pa
        .exclusive(async (): Promise<{ written: Promise<void> } | undefined> => {
          await this.publish(pa, undefined);
          if (pa.dropped) return undefined;
          for (const c of pa.engine.takeChanges({ packed: true })) pa.pendingChanges.set(c.tag, c.snapshot);
          if (pa.pendingChanges.size === 0) return undefined;
          const changes = pa.pendingChanges;
          pa.pendingChanges = new Map();
          // Chained inside the queue, before anything else can take newer snapshots of the partition.
          const previous = pa.writing;
          const written = previous.then(() => this.writeChanges(pa, changes));
          pa.writing = written.catch(() => undefined);
          return { written };
        })
        .catch((err: unknown) => {
          failure ??= err instanceof Error ? err : new Error(String(err));
          return undefined;
        });
      if (taken === undefined) continue;
      writes.push(
        taken.written.catch((err: unknown) => {
          failure ??= err instanceof Error ? err : new Error(String(err));
        }),
      );
      // Packing a partition's snapshots is one synchronous slice (≈ 5 µs per tag): let the batches that
      // queued meanwhile through before the next partition's.
      await yieldToLoop();
    }
    await Promise.all(writes);
    if (failure !== undefined) throw failure;
  }

  /** One checkpoint's snapshots of a partition to the changelog; on failure they go back to pending. */
  private async writeChanges(pa: PartitionAlarms, changes: Map<string, TagSnapshot | null>): Promise<void> {
    const records = new Array<{ key: string; value: unknown; partition: number }>(changes.size);
    let i = 0;
    for (const [tag, snapshot] of changes)
      records[i++] = { key: tag, value: snapshot, partition: pa.partition };
    try {
      // Encoding is another synchronous slice: let queued batches through first.
      await yieldToLoop();
      if (pa.dropped) return; // revoked meanwhile: its new owner restores from the last checkpoint
      await this.config.bus.publish(ALARM_STATE_TOPIC, records);
      this.config.metrics.alarmStateSnapshots.inc({ op: 'written' }, records.length);
    } catch (err) {
      // Kept for the next checkpoint, unless a newer snapshot of the tag was taken meanwhile (writes are
      // chained, so a newer one is either still in the engine, or in pendingChanges, or written later).
      if (!pa.dropped)
        for (const [tag, snapshot] of changes)
          if (!pa.pendingChanges.has(tag)) pa.pendingChanges.set(tag, snapshot);
      throw err;
    }
  }

  /**
   * Time-driven rules of every engine (silence, hub offline, quiet door, trip
   * ends); call every ~10 s. A partition whose publish fails keeps its output
   * pending (published by its next call) and does not stop the others; the
   * call then rejects with the first failure.
   */
  async tick(): Promise<void> {
    await this.forEachEngine((pa) =>
      this.publish(pa, pa.engine.tick(this.config.profiles, this.config.clock.now())),
    );
  }

  /**
   * Hub statuses, every hub's, to every engine. A status not newer than the
   * last one known for its hub is skipped, so a replay of the topic's history
   * (broadcast subscription from the beginning) changes nothing twice.
   */
  async onHubStatus(events: readonly HubStatusEvent[]): Promise<void> {
    const fresh: HubStatusEvent[] = [];
    for (const e of events) {
      const known = this.hubs.get(e.hub);
      if (known !== undefined && known.at >= e.at) continue;
      this.hubs.set(e.hub, { status: e.status, at: e.at });
      fresh.push(e);
    }
    if (fresh.length === 0) return;
    // Every engine takes every status before anything is published, so a failed publish cannot keep a
    // status from an engine (the board already counts it as known).
    await this.forEachEngine(async (pa) => {
      const now = this.config.clock.now();
      const outs = fresh.map((e) => pa.engine.onHubStatus(e.hub, e.status, e.at, now));
      for (const out of outs) await this.publish(pa, out);
    });
  }

  /** Runs `work` on every loaded engine (inside its queue), all of them even if some fail; rejects with the first failure. */
  private async forEachEngine(work: (pa: PartitionAlarms) => Promise<void>): Promise<void> {
    let failure: Error | undefined;
    for (const ready of [...this.partitions.values()]) {
      const pa = await ready.catch(() => undefined);
      if (pa === undefined) continue;
      await pa
        .exclusive(() => work(pa))
        .catch((err: unknown) => (failure ??= err instanceof Error ? err : new Error(String(err))));
    }
    if (failure !== undefined) throw failure;
  }

  /** Publishes what is pending on every partition (at shutdown); failures are logged, not thrown. */
  async flush(): Promise<void> {
    await this.checkpoint().catch((err: unknown) =>
      this.config.log.warn(`alarm state: flush failed: ${String(err)}`),
    );
  }

  /** The engine of a partition once loaded (inspection, tests). */
  async engineOf(partition: number): Promise<AlarmEngine | undefined> {
    return (await this.partitions.get(partition)?.catch(() => undefined))?.engine;
  }

  get loadedPartitions(): number[] {
    return [...this.partitions.keys()].sort((a, b) => a - b);
  }

  private load(partition: number): Promise<PartitionAlarms> {
    return this.loadMany([partition])[0];
  }

  /**
   * The engines of `partitions`, restoring those not loaded yet with one
   * changelog read for all of them (a Kafka reader costs a group join, so one
   * per rebalance rather than one per partition).
   */
  private loadMany(partitions: readonly number[]): Promise<PartitionAlarms>[] {
    const missing = partitions.filter((p) => !this.partitions.has(p));
    if (missing.length > 0) {
      const read = this.readChangelog(missing);
      for (const p of missing) {
        const ready = read.then((tables) => this.restore(p, tables.get(p)));
        this.partitions.set(p, ready);
        // A failed restore is forgotten, so that the next batch of the partition tries again (the bus retries it).
        ready.catch(() => {
          if (this.partitions.get(p) === ready) this.partitions.delete(p);
        });
      }
    }
    return partitions.map((p) => this.partitions.get(p)!);
  }

  /** Folds changelog partitions into their latest snapshot per tag (null = dropped). */
  private async readChangelog(
    partitions: readonly number[],
  ): Promise<Map<number, Map<string, TagSnapshot | null>>> {
    const tables = new Map<number, Map<string, TagSnapshot | null>>();
    await this.config.bus.readToEnd(ALARM_STATE_TOPIC, partitions, (batch) => {
      let latest = tables.get(batch.partition);
      if (latest === undefined) tables.set(batch.partition, (latest = new Map<string, TagSnapshot | null>()));
      for (let i = 0; i < batch.values.length; i++)
        latest.set(batch.keys[i], batch.values[i] as TagSnapshot | null);
    });
    return tables;
  }

  private restore(partition: number, latest: Map<string, TagSnapshot | null> | undefined): PartitionAlarms {
    const { metrics, clock } = this.config;
    const engine = new AlarmEngine({ trips: this.config.trips, compiler: this.compiler });
    const snapshots: TagSnapshot[] = [];
    if (latest !== undefined) for (const snap of latest.values()) if (snap !== null) snapshots.push(snap);
    const result = engine.restore(snapshots);
    metrics.alarmStateSnapshots.inc({ op: 'restored' }, result.restored);
    if (result.refused.length > 0) {
      metrics.alarmStateSnapshots.inc({ op: 'refused' }, result.refused.length);
      this.config.log.warn(
        `alarm state: partition ${partition}: ${result.refused.length} snapshots refused (those tags start afresh), first: ${result.refused[0].tag}: ${result.refused[0].problem}`,
      );
    }
    // Hubs known offline start their clocks in the new engine; nothing to publish for an offline status.
    const now = clock.now();
    for (const [hub, s] of this.hubs)
      if (s.status === 'offline') engine.onHubStatus(hub, 'offline', s.at, now);
    const pa = new PartitionAlarms(partition, engine);
    pa.reportedTags = engine.tagCount;
    metrics.alarmEngineTags.inc(pa.reportedTags);
    return pa;
  }

  private async drop(partition: number): Promise<void> {
    const ready = this.partitions.get(partition);
    if (ready === undefined) return;
    this.partitions.delete(partition);
    const pa = await ready.catch(() => undefined);
    if (pa === undefined) return;
    pa.dropped = true; // a checkpoint write not sent yet is skipped
    // Events computed here go out (best effort; the new owner's replay re-emits the same keys). The
    // state changed since the last checkpoint is dropped, not written: the partition is consumed again
    // from the group's last commit, which that checkpoint covers, and a write from here could land
    // after the new owner's own (an evicted member still running).
    await pa.writing;
    await pa
      .exclusive(async () => {
        pa.pendingChanges.clear();
        await this.publish(pa, undefined);
      })
      .catch((err: unknown) =>
        this.config.log.warn(
          `alarm state: partition ${partition} revoked with unpublished events: ${String(err)}`,
        ),
      );
    this.config.metrics.alarmEngineTags.dec(pa.reportedTags);
  }

  /**
   * Records `out` as pending, then publishes the events. No state is written here (batches, ticks,
   * statuses never wait for megabytes of changelog): that is `checkpoint`'s. Runs inside `exclusive`.
   */
  private async publish(pa: PartitionAlarms, out: EngineOutput | undefined): Promise<void> {
    const { bus, metrics } = this.config;
    if (out !== undefined) {
      if (out.events.length > 0) pa.unpublished.push(...out.events);
      for (const d of out.diagnostics)
        if (d.kind === 'invalid_profile') this.config.log.warn(`alarm engine: ${d.message}`);
      for (const [name, n] of pa.countsSinceLast()) metrics.alarmEngineCounts.inc({ counter: name }, n);
    }
    const tags = pa.engine.tagCount;
    if (tags !== pa.reportedTags) {
      metrics.alarmEngineTags.inc(tags - pa.reportedTags);
      pa.reportedTags = tags;
    }
    if (pa.unpublished.length > 0) {
      const events = pa.unpublished;
      await bus.publish(
        ALERTS_TOPIC,
        events.map((e) => ({ key: e.tag, value: e })),
      );
      pa.unpublished = [];
      for (const e of events) metrics.alertsEmitted.inc({ transition: e.transition });
    }
  }
}
