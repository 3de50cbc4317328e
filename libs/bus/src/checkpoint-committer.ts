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
 * - A partition is due once `intervalMs` passed since its last checkpoint
 *   began (or since it was first handled), and turns keep to slots
 *   `intervalMs / n` apart (n = partitions held): a whole set
 *   handled at once is spread over one interval, and stays spread. A turn
 *   takes the partition waiting longest, plus any that waited `2 × intervalMs`
 *   (turns slower than their spacing, e.g. a store flush of seconds, merge
 *   rather than fall behind). So a partition's state is checkpointed, and its
 *   offsets committed, about every `intervalMs` (plus the caller's timer
 *   granularity), and while checkpoints succeed never more than
 *   `2 × intervalMs` plus one turn apart.
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
  /**
   * Per partition: bumped by `forget`, so that a checkpoint begun before a partition was revoked (or
   * reloaded after a rejoin) never commits it, even if it is handled again meanwhile: the state that
   * checkpoint made durable was taken before the reload and does not cover the new handling.
   */
  private readonly generation = new Map<number, number>();
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

  /** The partition's generation now: pass it to `handledUpTo` for a batch that began now. */
  generationOf(partition: number): number {
    return this.generation.get(partition) ?? 0;
  }

  /**
   * `offset` (a Kafka offset, decimal string) of `partition` was handled. With `generation` (see
   * `generationOf`, taken when the batch began): ignored if the partition was forgotten since, so a
   * batch that straddled a revocation is never committed.
   */
  handledUpTo(partition: number, offset: string, generation?: number): void {
    if (generation !== undefined && generation !== this.generationOf(partition)) return;
    this.handled.set(partition, offset);
    if (!this.lastAt.has(partition)) this.lastAt.set(partition, this.now());
  }

  /** Partitions revoked (or reloaded after a rejoin): their handled offsets are dropped, never committed. */
  forget(partitions: readonly number[]): void {
    for (const p of partitions) {
      this.handled.delete(p);
      this.lastAt.delete(p);
      this.generation.set(p, (this.generation.get(p) ?? 0) + 1);
    }
  }

  /** The partitions whose checkpoint is due now (see the class contract); empty when none is. */
  private nextDue(): number[] {
    const now = this.now();
    if (now - this.lastTurnAt < this.intervalMs / Math.max(1, this.lastAt.size)) return [];
    let first: number | undefined;
    let firstAt = Infinity;
    const overdue: number[] = [];
    for (const p of this.handled.keys()) {
      const at = this.lastAt.get(p)!;
      if (now - at < this.intervalMs) continue;
      if (at < firstAt) [first, firstAt] = [p, at];
      if (now - at >= 2 * this.intervalMs) overdue.push(p);
    }
    if (first === undefined) return [];
    return overdue.includes(first) ? overdue : [first, ...overdue];
  }

  /** True when a partition's checkpoint is due (see the class contract). */
  get due(): boolean {
    return this.nextDue().length > 0;
  }

  /** Offsets handled and not committed yet, per partition (inspection). */
  get uncommitted(): ReadonlyMap<number, string> {
    return this.handled;
  }

  /** Checkpoints the partition that is due, if one is (the timer's call); joins a checkpoint running. */
  checkpoint(): Promise<void> {
    this.running ??= this.run(() => this.nextDue()).finally(() => (this.running = undefined));
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
    const taken = partitions.map((p) => ({
      partition: p,
      offset: this.handled.get(p)!,
      generation: this.generationOf(p),
    }));
    // Turns keep to slots `spacing` apart: a turn a little late (the caller's timer) moves its slot
    // forward by one spacing, not to its start, so lateness does not add up over a round; a turn late
    // by more than a spacing starts the slots afresh. The next try of these partitions waits an
    // interval, success or not (a failing bus is not hammered).
    const startedAt = this.now();
    const spacing = this.intervalMs / Math.max(1, this.lastAt.size);
    this.lastTurnAt = startedAt - this.lastTurnAt < 2 * spacing ? this.lastTurnAt + spacing : startedAt;
    for (const p of partitions) this.lastAt.set(p, startedAt);
    await this.beforeCommit(partitions);
    // Partitions revoked (or reloaded) while the state was made durable are not ours to commit.
    const ours = taken.filter((t) => this.generationOf(t.partition) === t.generation);
    const offsets = ours.map((t) => ({ partition: t.partition, offset: (BigInt(t.offset) + 1n).toString() }));
    if (offsets.length > 0) await this.commit(offsets);
    for (const t of ours) if (this.handled.get(t.partition) === t.offset) this.handled.delete(t.partition);
  }
}
