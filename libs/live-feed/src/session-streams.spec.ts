import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@coldchain/domain';
import { SessionStreams, type SessionStream } from './session-streams.js';

/** A stream that records whether it was ended. */
function stream(sessionId: string, userId: string, tenantId: string, expiresAt: number) {
  const s = { sessionId, userId, tenantId, expiresAt, ended: 0, end: () => void s.ended++ };
  return s satisfies SessionStream;
}

describe('SessionStreams', () => {
  it('ends at once the streams of an ended session or user, once each, and no others', () => {
    const streams = new SessionStreams(new ManualClock(0));
    const [a1, a2, b, c] = [
      stream('s-a', 'u1', 't1', 1000),
      stream('s-a', 'u1', 't1', 1000),
      stream('s-b', 'u1', 't1', 1000),
      stream('s-c', 'u2', 't1', 1000),
    ];
    for (const s of [a1, a2, b, c]) streams.add(s);
    expect(streams.endWhere((s) => s.sessionId === 's-a')).toBe(2);
    expect(streams.endWhere((s) => s.sessionId === 's-a')).toBe(0);
    expect(streams.endWhere((s) => s.userId === 'u1' && s.sessionId !== 's-b')).toBe(0);
    expect(streams.endWhere((s) => s.userId === 'u1')).toBe(1);
    expect([a1.ended, a2.ended, b.ended, c.ended]).toEqual([1, 1, 1, 0]);
    expect(streams.size).toBe(1);
  });

  it('releases a stream the client left: nothing ends it later', () => {
    const streams = new SessionStreams(new ManualClock(0));
    const s = stream('s', 'u', 't', 1000);
    const release = streams.add(s);
    release();
    expect(streams.endWhere(() => true)).toBe(0);
    expect(s.ended).toBe(0);
  });

  it('re-validates each session once, ending expired tokens and ended sessions', async () => {
    const clock = new ManualClock(0);
    const streams = new SessionStreams(clock, 2);
    const live = stream('live', 'u1', 't1', 10_000);
    const liveToo = stream('live', 'u1', 't1', 10_000);
    const expired = stream('old-token', 'u1', 't1', 5_000);
    const revoked = stream('revoked', 'u2', 't1', 10_000);
    const broken = stream('broken', 'u3', 't2', 10_000);
    for (const s of [live, liveToo, expired, revoked, broken]) streams.add(s);
    clock.set(5_000);
    const asked: string[] = [];
    const ended = await streams.recheck(async ({ sessionId }) => {
      asked.push(sessionId);
      if (sessionId === 'broken') throw new Error('store unreachable');
      return sessionId !== 'revoked';
    });
    expect(ended).toBe(3);
    expect(asked.sort()).toEqual(['broken', 'live', 'revoked']);
    expect([live.ended, liveToo.ended, expired.ended, revoked.ended, broken.ended]).toEqual([0, 0, 1, 1, 1]);
  });

  it('re-validates only the streams selected (one tenant)', async () => {
    const streams = new SessionStreams(new ManualClock(0));
    const mine = stream('a', 'u1', 'closed', 10_000);
    const other = stream('b', 'u2', 'open', 10_000);
    streams.add(mine);
    streams.add(other);
    expect(
      await streams.recheck(
        async () => false,
        (s) => s.tenantId === 'closed',
      ),
    ).toBe(1);
    expect([mine.ended, other.ended]).toEqual([1, 0]);
  });
});
