import { describe, expect, it } from '@jest/globals';
import type { AlertEvent, Measurement, TelemetryRecord } from '@coldchain/domain';
import { LiveFeed, type LiveEvent } from './live-feed.js';

const T0 = Date.UTC(2026, 11, 2, 8, 0, 0);
const HUB = '356938035643809';

function record(tenantId: string, tag: string, readings: Measurement[]): TelemetryRecord {
  return { v: 1, tenantId, hub: HUB, tag, hubSeq: 1, sentAt: T0, receivedAt: T0, readings };
}

function watcher(feed: LiveFeed, tenantId: string) {
  const seen: LiveEvent[] = [];
  let dropped = 0;
  const unsubscribe = feed.subscribe(
    tenantId,
    (e) => {
      seen.push(e);
      return true;
    },
    () => dropped++,
  );
  return { seen, unsubscribe, dropped: () => dropped };
}

describe('LiveFeed', () => {
  it('coalesces readings per tag until flush, newest measured values winning, for the tenant only', () => {
    const feed = new LiveFeed({ readingIntervalMs: 1000 });
    const a = watcher(feed, 'tenant-a');
    const b = watcher(feed, 'tenant-b');
    feed.onTelemetry([
      record('tenant-a', 'AA:00:00:00:00:01', [
        { ts: T0, temperature: 4 },
        { ts: T0 + 5000, temperature: 5, door: 'open' },
      ]),
      record('tenant-a', 'AA:00:00:00:00:01', [{ ts: T0 + 10_000, temperature: 6, battery: 80 }]),
      record('tenant-a', 'AA:00:00:00:00:02', [{ ts: T0, humidity: 55 }]),
      record('tenant-c', 'AA:00:00:00:00:03', [{ ts: T0, temperature: 99 }]), // nobody watches tenant-c
    ]);
    expect(a.seen).toEqual([]); // nothing before the flush
    feed.flush();
    expect(a.seen).toEqual([
      {
        type: 'reading',
        data: { tag: 'AA:00:00:00:00:01', hub: HUB, ts: T0 + 10_000, temperature: 6, battery: 80 },
      },
      { type: 'reading', data: { tag: 'AA:00:00:00:00:02', hub: HUB, ts: T0, humidity: 55 } },
    ]);
    expect(b.seen).toEqual([]);
    feed.flush();
    expect(a.seen).toHaveLength(2); // nothing new, nothing resent
  });

  it('does not let a backfilled (older) reading replace a newer live one', () => {
    const feed = new LiveFeed({ readingIntervalMs: 1000 });
    const a = watcher(feed, 't');
    feed.onTelemetry([record('t', 'AA:00:00:00:00:01', [{ ts: T0 + 60_000, temperature: 5 }])]);
    feed.onTelemetry([record('t', 'AA:00:00:00:00:01', [{ ts: T0, temperature: 30 }])]);
    feed.flush();
    expect(a.seen.map((e) => (e.data as { temperature: number }).temperature)).toEqual([5]);
  });

  it('sends hub statuses and alerts at once, to their tenant', () => {
    const feed = new LiveFeed({ readingIntervalMs: 1000 });
    const a = watcher(feed, 'tenant-a');
    feed.onHubStatus([{ tenantId: 'tenant-a', hub: HUB, status: 'offline', at: T0 }]);
    const alert = { tenantId: 'tenant-a', key: 'k1', transition: 'raised' } as AlertEvent;
    feed.onAlerts([alert, { ...alert, tenantId: 'tenant-b' }]);
    expect(a.seen).toEqual([
      { type: 'hub-status', data: { hub: HUB, status: 'offline', at: T0 } },
      { type: 'alert', data: alert },
    ]);
  });

  it('drops a subscriber that cannot take more or throws, and keeps serving the others', () => {
    const feed = new LiveFeed({ readingIntervalMs: 1000 });
    const good = watcher(feed, 't');
    let slowDropped = 0;
    feed.subscribe(
      't',
      () => false,
      () => slowDropped++,
    );
    feed.subscribe('t', () => {
      throw new Error('socket gone');
    });
    expect(feed.size).toBe(3);
    feed.onHubStatus([{ tenantId: 't', hub: HUB, status: 'online', at: T0 }]);
    expect(slowDropped).toBe(1);
    expect(feed.size).toBe(1);
    feed.onHubStatus([{ tenantId: 't', hub: HUB, status: 'offline', at: T0 + 1 }]);
    expect(good.seen).toHaveLength(2);
  });

  it('forgets held readings of a tenant whose last subscriber left, and drops everyone on close', () => {
    const feed = new LiveFeed({ readingIntervalMs: 1000 });
    const a = watcher(feed, 't');
    feed.onTelemetry([record('t', 'AA:00:00:00:00:01', [{ ts: T0, temperature: 5 }])]);
    a.unsubscribe();
    const late = watcher(feed, 't');
    feed.flush();
    expect(late.seen).toEqual([]);
    expect(a.dropped()).toBe(0); // leaving is not being dropped
    feed.close();
    expect(late.dropped()).toBe(1);
    expect(feed.size).toBe(0);
  });
});
