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
    async () => {
      onFlush();
      if (failFlush) throw new Error('bus away');
      events.push('flush');
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
  it('is due only once the interval passed and something was handled; commits last handled + 1 after the flush', async () => {
    const t = setup();
    expect(t.committer.due).toBe(false);
    t.committer.handledUpTo(0, '41');
    t.committer.handledUpTo(3, '9');
    t.committer.handledUpTo(0, '99');
    expect(t.committer.due).toBe(false);
    t.advance(1000);
    expect(t.committer.due).toBe(true);
    await t.committer.checkpoint();
    expect(t.events).toEqual(['flush', 'commit']);
    expect(t.commits[0]).toEqual([
      { partition: 0, offset: '100' },
      { partition: 3, offset: '10' },
    ]);
    expect(t.committer.uncommitted.size).toBe(0);
    expect(t.committer.due).toBe(false);
  });

  it('commits only what was handled before the flush began; a batch handled meanwhile waits for the next checkpoint', async () => {
    const t = setup();
    t.committer.handledUpTo(1, '10');
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
    t.advance(1000);
    expect(t.committer.due).toBe(true);
    t.setFailFlush(false);
    await t.committer.checkpoint();
    expect(t.commits[0]).toEqual([{ partition: 2, offset: '6' }]);
  });

  it('never commits a partition revoked (or reloaded) before or during the checkpoint', async () => {
    const t = setup();
    t.committer.handledUpTo(0, '1');
    t.committer.handledUpTo(1, '1');
    t.committer.handledUpTo(2, '1');
    t.committer.forget([2]);
    t.setOnFlush(() => t.committer.forget([1]));
    await t.committer.checkpoint();
    expect(t.commits[0]).toEqual([{ partition: 0, offset: '2' }]);
  });

  it('joins a checkpoint already running instead of starting a second one', async () => {
    const t = setup();
    t.committer.handledUpTo(0, '7');
    await Promise.all([t.committer.checkpoint(), t.committer.checkpoint()]);
    expect(t.events).toEqual(['flush', 'commit']);
  });
});
