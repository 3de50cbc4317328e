import type { PartitionAssignment } from './bus.port.js';

/**
 * Turns successive group assignments into {@link PartitionAssignment} changes.
 * A partition kept across two assignments is reported only when the member id
 * stayed the same: a member that rejoined under a new id was out of the group
 * for a while, and another member may have consumed its partitions meanwhile,
 * so all of them are reloaded (revoked and added).
 */
export class AssignmentTracker {
  private current: number[] = [];
  private memberId: string | undefined;

  next(assigned: readonly number[], memberId: string): PartitionAssignment {
    const partitions = [...assigned].sort((a, b) => a - b);
    const continuous = this.memberId === memberId;
    const kept = continuous ? this.current.filter((p) => partitions.includes(p)) : [];
    const change: PartitionAssignment = {
      partitions,
      added: partitions.filter((p) => !kept.includes(p)),
      revoked: this.current.filter((p) => !kept.includes(p)),
    };
    this.current = partitions;
    this.memberId = memberId;
    return change;
  }
}

/**
 * Runs assignment callbacks one after the other and lets batch handling wait
 * for the latest. Never rejects: a failed callback is logged by `onError`.
 */
export class AssignmentGate {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly onError: (err: unknown) => void) {}

  enqueue(task: () => void | Promise<void>): void {
    this.chain = this.chain.then(async () => {
      try {
        await task();
      } catch (err) {
        this.onError(err);
      }
    });
  }

  /** Resolves once every callback enqueued so far has settled. */
  ready(): Promise<void> {
    return this.chain;
  }
}
