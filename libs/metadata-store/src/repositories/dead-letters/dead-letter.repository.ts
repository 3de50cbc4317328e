import type { DeadLetter } from '@coldchain/contract';
import type { EpochMs } from '@coldchain/domain';

export interface StoredDeadLetter extends Omit<DeadLetter, 'payloadSha256'> {
  id: number;
  /** Null for a letter kept before payloads were hashed (its prefix was cut by migration 9, its size computed). */
  payloadSha256: string | null;
}

/**
 * Telemetry the pipeline refused, kept for an operator to inspect. Proven by
 * test/contracts/dead-letter-repository.contract.ts on both adapters.
 */
export interface DeadLetterRepository {
  /** Keeps refused telemetry: reason, payload prefix, size and hash (bounded by the caller, see boundDeadLetter). */
  recordDeadLetters(letters: readonly DeadLetter[]): Promise<void>;
  /** Newest first, at most `limit`. */
  listDeadLetters(limit: number): Promise<StoredDeadLetter[]>;
  /** Deletes the dead letters received before `before` (epoch ms); returns how many. */
  purgeDeadLetters(before: EpochMs): Promise<number>;
}
