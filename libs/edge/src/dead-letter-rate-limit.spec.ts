import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@coldchain/domain';
import { DeadLetterRateLimit } from './dead-letter-rate-limit.js';

const T0 = Date.UTC(2026, 11, 7);
const admitted = (limit: DeadLetterRateLimit, hub: string, times: number) =>
  Array.from({ length: times }, () => limit.take(hub)).filter((a) => a.admitted).length;

describe('DeadLetterRateLimit (a token bucket per hub, fixed clock)', () => {
  it('admits a burst, then nothing until the clock moves, then the refill rate', () => {
    const clock = new ManualClock(T0);
    const limit = new DeadLetterRateLimit({ burst: 5, refillPerMinute: 6, trackedHubs: 10 }, clock);
    expect(admitted(limit, 'a', 100)).toBe(5);
    clock.advance(9_999);
    expect(admitted(limit, 'a', 10)).toBe(0);
    clock.advance(1);
    expect(admitted(limit, 'a', 10)).toBe(1); // one token per 10 s
    clock.advance(60_000);
    expect(admitted(limit, 'a', 10)).toBe(5); // 6 earned, capped at the burst
  });

  it('tells the next admitted letter how many were dropped before it, once', () => {
    const clock = new ManualClock(T0);
    const limit = new DeadLetterRateLimit({ burst: 2, refillPerMinute: 60, trackedHubs: 10 }, clock);
    expect([limit.take('a'), limit.take('a'), limit.take('a'), limit.take('a')]).toEqual([
      { admitted: true, suppressed: 0 },
      { admitted: true, suppressed: 0 },
      { admitted: false },
      { admitted: false },
    ]);
    clock.advance(1000);
    expect(limit.take('a')).toEqual({ admitted: true, suppressed: 2 });
    clock.advance(1000);
    expect(limit.take('a')).toEqual({ admitted: true, suppressed: 0 });
  });

  it("keeps one hub's flood from using another hub's tokens", () => {
    const limit = new DeadLetterRateLimit(
      { burst: 3, refillPerMinute: 1, trackedHubs: 10 },
      new ManualClock(T0),
    );
    expect(admitted(limit, 'noisy', 1000)).toBe(3);
    expect(admitted(limit, 'quiet', 3)).toBe(3);
  });

  it('refills nothing when the clock goes back', () => {
    const clock = new ManualClock(T0);
    const limit = new DeadLetterRateLimit({ burst: 1, refillPerMinute: 60, trackedHubs: 10 }, clock);
    expect(admitted(limit, 'a', 2)).toBe(1);
    clock.set(T0 - 3_600_000);
    expect(admitted(limit, 'a', 2)).toBe(0);
    clock.set(T0 + 1000);
    expect(admitted(limit, 'a', 2)).toBe(1);
  });

  it('holds at most `trackedHubs` buckets, forgetting those as good as new first', () => {
    const clock = new ManualClock(T0);
    const limit = new DeadLetterRateLimit({ burst: 1, refillPerMinute: 1, trackedHubs: 3 }, clock);
    expect(admitted(limit, 'busy', 2)).toBe(1); // one suppressed, to report
    limit.take('a');
    limit.take('b');
    clock.advance(60_000); // every bucket full again; only 'busy' has something to report
    limit.take('c');
    expect(limit.size).toBeLessThanOrEqual(3);
    expect(limit.take('busy')).toEqual({ admitted: true, suppressed: 1 });
    for (let i = 0; i < 1000; i++) limit.take(`hub-${i}`);
    expect(limit.size).toBe(3);
  });
});
