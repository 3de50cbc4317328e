/** An offset to commit: the next record to read, as Kafka wants it (last handled + 1). */
export interface CommitOffset {
  partition: number;
  offset: string;
}

/**
 * The checkpoints of one `commit` subscription (see `SubscribeOptions.commit`):
 * remembers the last handled offset per partition and, at most every
 * `intervalMs`, runs `beforeCommit` and then commits those offsets.
 *
 * Contracts:
 * - The offsets committed are those handled *before* `beforeCommit` started,
 *   so the state it made durable covers them; a batch handled meanwhile waits
 *   for the next checkpoint.
 * - One checkpoint at a time; a call during one joins it.
 * - A failed checkpoint keeps every offset for the next try (the caller logs),
 *   which comes an interval later, not at once.
 * - Partitions revoked, or reloaded after a rejoin, are forgotten (`forget`):
 *   their consumption restarts from the group's commit (here or at their new
 *   owner), so what was handled before must not be committed any more.
 */
export class CheckpointCommitter {
  private readonly handled = new Map<number, string>();
  private lastAt: number;
  private running?: Promise<void>;

  constructor(
    private readonly intervalMs: number,
    private readonly beforeCommit: () => Promise<void>,
    private readonly commit: (offsets: CommitOffset[]) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {
    this.lastAt = now();
  }

  /** `offset` (a Kafka offset, decimal string) of `partition` was handled. */
  handledUpTo(partition: number, offset: string): void {
    this.handled.set(partition, offset);
  }

  /** Partitions revoked (or reloaded after a rejoin): their handled offsets are dropped, never committed. */
  forget(partitions: readonly number[]): void {
    for (const p of partitions) this.handled.delete(p);
  }

  /** True when something waits to be committed and the interval has passed since the last checkpoint. */
  get due(): boolean {
    return this.handled.size > 0 && this.now() - this.lastAt >= this.intervalMs;
  }

  /** Offsets handled and not committed yet, per partition (inspection). */
  get uncommitted(): ReadonlyMap<number, string> {
    return this.handled;
  }

  checkpoint(): Promise<void> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<void> {
    const snapshot = [...this.handled];
    if (snapshot.length === 0) return;
    // The next try waits an interval, success or not (a failing bus is not hammered).
    this.lastAt = this.now();
    await this.beforeCommit();
    // Partitions revoked while the state was flushed are no longer ours to commit.
    const offsets = snapshot
      .filter(([p]) => this.handled.has(p))
      .map(([partition, offset]) => ({ partition, offset: (BigInt(offset) + 1n).toString() }));
    if (offsets.length > 0) await this.commit(offsets);
    for (const [p, o] of snapshot) if (this.handled.get(p) === o) this.handled.delete(p);
    this.lastAt = this.now();
  }
}
