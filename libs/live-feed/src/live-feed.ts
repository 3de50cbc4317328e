import type { HubStatus } from '@coldchain/contract';
import type { AlertEvent, DoorState, EpochMs, TelemetryRecord } from '@coldchain/domain';

/** The newest values of one tag, as the dashboard shows them. */
export interface LiveReading {
  tag: string;
  hub: string;
  /** Measured time, epoch ms. */
  ts: EpochMs;
  temperature?: number;
  humidity?: number;
  co2?: number;
  door?: DoorState;
  battery?: number;
}

export interface LiveHubStatus {
  hub: string;
  status: HubStatus;
  at: EpochMs;
}

/** What a live subscriber (one SSE connection) receives; `type` is the SSE event name. */
export type LiveEvent =
  | { type: 'reading'; data: LiveReading }
  | { type: 'hub-status'; data: LiveHubStatus }
  | { type: 'alert'; data: AlertEvent };

/**
 * Delivers one event to a subscriber. Returns false when the subscriber can
 * take no more (a client that stopped reading): it is then removed and its
 * `onDrop` called, rather than buffering for it without bound.
 */
export type LiveSink = (event: LiveEvent) => boolean;

export interface LiveFeedOptions {
  /** At most one reading event per tag per this interval, ms; the newest values win. */
  readingIntervalMs: number;
}

interface Subscriber {
  send: LiveSink;
  onDrop: () => void;
}

/**
 * Per-tenant fan-out of live readings, hub statuses and alerts to the
 * connected dashboards. Framework-free: the host feeds it bus batches and
 * calls `flush` every `readingIntervalMs`.
 *
 * Cost contract (it sits beside the hot path: in the embedded platform the
 * bus waits for it): a record of a tenant nobody watches costs one map
 * lookup; readings are coalesced per tag (only the newest of an interval is
 * sent, so a 50k readings/s fleet yields at most one event per tag per
 * interval); nothing here throws into the bus.
 */
export class LiveFeed {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  /** Newest reading per tag since the last flush, per watched tenant. */
  private readonly pending = new Map<string, Map<string, LiveReading>>();

  constructor(readonly options: LiveFeedOptions) {}

  /** Adds a subscriber for one tenant; returns the function that removes it. */
  subscribe(tenantId: string, send: LiveSink, onDrop: () => void = () => undefined): () => void {
    let set = this.subscribers.get(tenantId);
    if (!set) this.subscribers.set(tenantId, (set = new Set<Subscriber>()));
    const sub: Subscriber = { send, onDrop };
    set.add(sub);
    return () => this.remove(tenantId, sub);
  }

  /** Connected subscribers, all tenants. */
  get size(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  /** Accepted telemetry (bus batch): keeps the newest reading per watched tag until the next flush. */
  onTelemetry(records: readonly TelemetryRecord[]): void {
    if (this.subscribers.size === 0) return;
    for (const rec of records) {
      if (!this.subscribers.has(rec.tenantId) || rec.readings.length === 0) continue;
      let newest = rec.readings[0];
      for (const m of rec.readings) if (m.ts > newest.ts) newest = m;
      let tags = this.pending.get(rec.tenantId);
      if (!tags) this.pending.set(rec.tenantId, (tags = new Map<string, LiveReading>()));
      const held = tags.get(rec.tag);
      if (held && held.ts > newest.ts) continue; // a late (backfilled) reading is not "live"
      const live: LiveReading = { tag: rec.tag, hub: rec.hub, ts: newest.ts };
      if (newest.temperature !== undefined) live.temperature = newest.temperature;
      if (newest.humidity !== undefined) live.humidity = newest.humidity;
      if (newest.co2 !== undefined) live.co2 = newest.co2;
      if (newest.door !== undefined) live.door = newest.door;
      if (newest.battery !== undefined) live.battery = newest.battery;
      tags.set(rec.tag, live);
    }
  }

  /** Hub connectivity changes: sent at once (rare, and the map shows them). */
  onHubStatus(events: ReadonlyArray<LiveHubStatus & { tenantId: string }>): void {
    for (const e of events)
      this.emit(e.tenantId, { type: 'hub-status', data: { hub: e.hub, status: e.status, at: e.at } });
  }

  /** Alert transitions: sent at once. */
  onAlerts(events: readonly AlertEvent[]): void {
    for (const e of events) this.emit(e.tenantId, { type: 'alert', data: e });
  }

  /** Sends the readings held since the last flush (call every `readingIntervalMs`). */
  flush(): void {
    for (const [tenantId, tags] of this.pending) {
      for (const reading of tags.values()) this.emit(tenantId, { type: 'reading', data: reading });
    }
    this.pending.clear();
  }

  /** Drops every subscriber (shutdown), calling each `onDrop`. */
  close(): void {
    for (const [tenantId, set] of this.subscribers) for (const sub of [...set]) this.drop(tenantId, sub);
    this.pending.clear();
  }

  private emit(tenantId: string, event: LiveEvent): void {
    const set = this.subscribers.get(tenantId);
    if (!set) return;
    for (const sub of [...set]) {
      let ok: boolean;
      try {
        ok = sub.send(event);
      } catch {
        ok = false; // a broken connection must not reach the bus
      }
      if (!ok) this.drop(tenantId, sub);
    }
  }

  private drop(tenantId: string, sub: Subscriber): void {
    if (!this.remove(tenantId, sub)) return;
    try {
      sub.onDrop();
    } catch {
      // the subscriber is gone either way
    }
  }

  private remove(tenantId: string, sub: Subscriber): boolean {
    const set = this.subscribers.get(tenantId);
    if (!set?.delete(sub)) return false;
    if (set.size === 0) {
      this.subscribers.delete(tenantId);
      this.pending.delete(tenantId);
    }
    return true;
  }
}
