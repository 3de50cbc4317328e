/** An offset to commit: the next record to read, as Kafka wants it (last handled + 1). */
export interface CommitOffset {
  partition: number;
  offset: string;
}

/**
 * The checkpoints of one `commit` subscription (see `SubscribeOptions.commit`):
 * remembers the last handled offset per partition and checkpoints the
 * partitions in turn, each at most every `intervalMs`: `beforeCommit` with
 * that partition, then the commit of its offset.
 *
 * Why in turn rather than all at once (Kafka Streams checkpoints its whole
 * task set): a checkpoint writes the state changed since the last one, which
 * at fleet scale is megabytes of snapshots packed on the event loop and sent
 * through the broker. All partitions at once make one burst per interval that
 * holds back every batch behind it (the alert latency tail); one partition at
 * a time makes bursts a partition's size, spread over the interval.
 *
 * Contracts:
 * - A partition is due once `intervalMs` passed since its last checkpoint (or
 *   since it was first handled) and at least `intervalMs / n` since the last
 *   turn (n = partitions held): a whole set handled at once is spread over one
 *   interval, and stays spread. A partition's uncommitted span is thus at most
 *   `2 × intervalMs` (its first round), `intervalMs` plus one turn after.
 * - The offsets committed are those handled *before* `beforeCommit` started,
 *   so the state it made durable covers them; a batch handled meanwhile waits
 *   for the partition's next checkpoint.
 * - One checkpoint at a time. A due check during one joins it; `checkpointAll`
 *   (at close) runs after it, over every partition.
 * - A failed checkpoint keeps its offsets for the next try (the caller logs),
 *   which comes an interval later, not at once.
 * - Partitions revoked, or reloaded after a rejoin, are forgotten (`forget`):
 *   their consumption restarts from the group's commit (here or at their new
 *   owner), so what was handled before must not be committed any more.
 */
export class CheckpointCommitter {
  private readonly handled = new Map<number, string>();
  /** Per partition held: when its last checkpoint started (or when it was first handled). */
  private readonly lastAt = new Map<number, number>();
  private lastTurnAt: number;
  private running?: Promise<void>;

  constructor(
    private readonly intervalMs: number,
    private readonly beforeCommit: (partitions: readonly number[]) => Promise<void>,
    private readonly commit: (offsets: CommitOffset[]) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {
    this.lastTurnAt = now() - intervalMs;
  }

  /** `offset` (a Kafka offset, decimal string) of `partition` was handled. */
  handledUpTo(partition: number, offset: string): void {
    this.handled.set(partition, offset);
    if (!this.lastAt.has(partition)) this.lastAt.set(partition, this.now());
  }

  /** Partitions revoked (or reloaded after a rejoin): their handled offsets are dropped, never committed. */
  forget(partitions: readonly number[]): void {
    for (const p of partitions) {
      this.handled.delete(p);
      this.lastAt.delete(p);
    }
  }

  /** The partition whose checkpoint is due now, if any (the one waiting longest). */
  private nextDue(): number | undefined {
    const now = this.now();
    if (now - this.lastTurnAt < this.intervalMs / Math.max(1, this.lastAt.size)) return undefined;
    let due: number | undefined;
    let dueAt = Infinity;
    for (const p of this.handled.keys()) {
      const at = this.lastAt.get(p)!;
      if (now - at >= this.intervalMs && at < dueAt) [due, dueAt] = [p, at];
    }
    return due;
  }

  /** True when a partition's checkpoint is due (see the class contract). */
  get due(): boolean {
    return this.nextDue() !== undefined;
  }

  /** Offsets handled and not committed yet, per partition (inspection). */
  get uncommitted(): ReadonlyMap<number, string> {
    return this.handled;
  }

  /** Checkpoints the partition that is due, if one is (the timer's call); joins a checkpoint running. */
  checkpoint(): Promise<void> {
    this.running ??= this.run(() => {
      const p = this.nextDue();
      return p === undefined ? [] : [p];
    }).finally(() => (this.running = undefined));
    return this.running;
  }

  /** Checkpoints every partition with handled offsets, after the checkpoint running if any (at close). */
  async checkpointAll(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.run(() => [...this.handled.keys()]).finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(choose: () => number[]): Promise<void> {
    const partitions = choose();
    if (partitions.length === 0) return;
    const snapshot = partitions.map((p): [number, string] => [p, this.handled.get(p)!]);
    // The next try waits an interval, success or not (a failing bus is not hammered).
    const startedAt = this.now();
    for (const p of partitions) this.lastAt.set(p, startedAt);
    try {
      await this.beforeCommit(partitions);
      // Partitions revoked while the state was flushed are no longer ours to commit.
      const offsets = snapshot
        .filter(([p]) => this.handled.has(p))
        .map(([partition, offset]) => ({ partition, offset: (BigInt(offset) + 1n).toString() }));
      if (offsets.length > 0) await this.commit(offsets);
      for (const [p, o] of snapshot) if (this.handled.get(p) === o) this.handled.delete(p);
    } finally {
      this.lastTurnAt = this.now();
    }
  }
}
