import { describe, expect, it } from '@jest/globals';
import { CheckpointCommitter, type CommitOffset } from './checkpoint-committer.js';

function setup(intervalMs = 1000) {
  let now = 0;
  const events: string[] = [];
  const commits: CommitOffset[][] = [];
  let failFlush = false;
  let onFlush: () => void = () => undefined;
  const committer = new CheckpointCommitter(
    intervalMs,
    async (partitions) => {
      onFlush();
      if (failFlush) throw new Error('bus away');
      events.push(`flush ${partitions.join(',')}`);
    },
    async (offsets) => {
      events.push('commit');
      commits.push(offsets);
    },
    () => now,
  );
  return {
    committer,
    events,
    commits,
    advance: (ms: number) => (now += ms),
    setFailFlush: (v: boolean) => (failFlush = v),
    setOnFlush: (f: () => void) => (onFlush = f),
  };
}

describe('CheckpointCommitter', () => {
  it('is due once the interval passed since the partition was first handled; commits last handled + 1 after its flush', async () => {
    const t = setup();
    expect(t.committer.due).toBe(false);
    t.committer.handledUpTo(0, '41');
    t.committer.handledUpTo(0, '99');
    t.advance(999);
    expect(t.committer.due).toBe(false);
    t.advance(1);
    expect(t.committer.due).toBe(true);
    await t.committer.checkpoint();
    expect(t.events).toEqual(['flush 0', 'commit']);
    expect(t.commits[0]).toEqual([{ partition: 0, offset: '100' }]);
    expect(t.committer.uncommitted.size).toBe(0);
    expect(t.committer.due).toBe(false);
  });

  it('takes the partitions in turn, one every interval / n, each at most once per interval, and keeps them spread', async () => {
    const t = setup(900);
    for (const p of [4, 1, 2]) t.committer.handledUpTo(p, '10');
    const turns: string[] = [];
    // 4 s in 100 ms steps, every partition handling all along, the timer checkpointing what is due.
    for (let ms = 0; ms < 4000; ms += 100) {
      t.advance(100);
      for (const p of [4, 1, 2]) t.committer.handledUpTo(p, String(ms));
      if (t.committer.due) {
        await t.committer.checkpoint();
        turns.push(`${ms + 100}:${t.events.at(-2)!}`);
      }
    }
    // First due at 900 (partitions met at 0, ties to the first met), then one every 300 ms: a burst is a partition's state.
    expect(turns).toEqual([
      '900:flush 4',
      '1200:flush 1',
      '1500:flush 2',
      '1800:flush 4',
      '2100:flush 1',
      '2400:flush 2',
      '2700:flush 4',
      '3000:flush 1',
      '3300:flush 2',
      '3600:flush 4',
      '3900:flush 1',
    ]);
    expect(t.commits.every((c) => c.length === 1)).toBe(true);
  });

  it('commits only what was handled before the flush began; a batch handled meanwhile waits for the next checkpoint', async () => {
    const t = setup();
    t.committer.handledUpTo(1, '10');
    t.advance(1000);
    t.setOnFlush(() => t.committer.handledUpTo(1, '20'));
    await t.committer.checkpoint();
    expect(t.commits[0]).toEqual([{ partition: 1, offset: '11' }]);
    expect(t.committer.uncommitted.get(1)).toBe('20');
  });

  it('keeps every offset when the flush fails, commits nothing, and is due again only an interval later', async () => {
    const t = setup();
    t.committer.handledUpTo(2, '5');
    t.advance(1000);
    t.setFailFlush(true);
    await expect(t.committer.checkpoint()).rejects.toThrow('bus away');
    expect(t.commits).toHaveLength(0);
    expect(t.committer.uncommitted.get(2)).toBe('5');
    expect(t.committer.due).toBe(false);
    t.advance(999);
    expect(t.committer.due).toBe(false);
    t.advance(1);
    expect(t.committer.due).toBe(true);
    t.setFailFlush(false);
    await t.committer.checkpoint();
    expect(t.commits[0]).toEqual([{ partition: 2, offset: '6' }]);
  });

  it('checkpoints every partition at once at close, never committing one revoked (or reloaded) before or during it', async () => {
    const t = setup();
    t.committer.handledUpTo(0, '1');
    t.committer.handledUpTo(1, '1');
    t.committer.handledUpTo(2, '1');
    t.committer.forget([2]);
    t.setOnFlush(() => t.committer.forget([1]));
    await t.committer.checkpointAll();
    expect(t.events).toEqual(['flush 0,1', 'commit']);
    expect(t.commits[0]).toEqual([{ partition: 0, offset: '2' }]);
  });

  it('never commits a partition reloaded during its checkpoint, even when it is handled again meanwhile; the new handling is committed at its own turn', async () => {
    const t = setup();
    t.committer.handledUpTo(1, '50');
    t.advance(1000);
    // A rejoin reloads partition 1 while its state is written; consumption restarts at the group's commit.
    t.setOnFlush(() => {
      t.committer.forget([1]);
      t.committer.handledUpTo(1, '20', t.committer.generationOf(1));
    });
    await t.committer.checkpoint();
    expect(t.commits).toEqual([]);
    expect(t.committer.uncommitted.get(1)).toBe('20');
    t.setOnFlush(() => undefined);
    t.advance(1000);
    await t.committer.checkpoint();
    expect(t.commits).toEqual([[{ partition: 1, offset: '21' }]]);
  });

  it('ignores a batch that began before its partition was revoked and ended after', () => {
    const t = setup();
    const atStart = t.committer.generationOf(2);
    t.committer.forget([2]);
    t.committer.handledUpTo(2, '9', atStart);
    expect(t.committer.uncommitted.has(2)).toBe(false);
    t.committer.handledUpTo(2, '3', t.committer.generationOf(2));
    expect(t.committer.uncommitted.get(2)).toBe('3');
  });

  it('merges partitions that waited two intervals into one turn when turns are slower than their spacing', async () => {
    const t = setup(900);
    const parts = [0, 1, 2];
    // Every state write takes 1 s, more than the 300 ms between turns: one at a time, a round would take 3.3 s.
    t.setOnFlush(() => t.advance(1000));
    const lastCheckpoint = new Map<number, number>(parts.map((p) => [p, 0]));
    let longestGap = 0;
    let merged = 0;
    let now = 0;
    for (let step = 0; step < 300; step++) {
      t.advance(100);
      now += 100;
      for (const p of parts) t.committer.handledUpTo(p, String(step));
      if (!t.committer.due) continue;
      const before = t.events.length;
      const startedAt = now;
      await t.committer.checkpoint();
      now += 1000;
      const flushed = t.events[before].replace('flush ', '').split(',').map(Number);
      if (flushed.length > 1) merged++;
      for (const p of flushed) {
        longestGap = Math.max(longestGap, startedAt - lastCheckpoint.get(p)!);
        lastCheckpoint.set(p, startedAt);
      }
    }
    expect(merged).toBeGreaterThan(0);
    // Never more than two intervals plus one turn (and the 100 ms step) between a partition's checkpoints.
    expect(longestGap).toBeLessThanOrEqual(2 * 900 + 1000 + 100);
  });

  it('joins a due checkpoint already running; the one at close waits for it, then covers every partition', async () => {
    const t = setup();
    t.committer.handledUpTo(0, '7');
    t.committer.handledUpTo(3, '8');
    t.advance(1000);
    await Promise.all([t.committer.checkpoint(), t.committer.checkpoint(), t.committer.checkpointAll()]);
    expect(t.events).toEqual(['flush 0', 'commit', 'flush 3', 'commit']);
    expect(t.commits).toEqual([[{ partition: 0, offset: '8' }], [{ partition: 3, offset: '9' }]]);
  });

  it('at close, with nothing handled since the last checkpoint, flushes and commits nothing', async () => {
    const t = setup();
    t.committer.handledUpTo(5, '1');
    await t.committer.checkpointAll();
    await t.committer.checkpointAll();
    expect(t.events).toEqual(['flush 5', 'commit']);
  });
});
