import type { EpochMs } from '@coldchain/domain';

/** How an acknowledgement reached the platform. */
export type AckVia = 'api' | 'link' | 'sms' | 'voice';

export const ACK_VIAS: readonly AckVia[] = ['api', 'link', 'sms', 'voice'];

/** One acknowledgement of one alert transition, as recorded (never changed afterwards). */
export interface AckEntry {
  alertKey: string;
  tenantId: string;
  /** Who: a contact id (link, SMS, keypad) or a user's email (API). */
  actor: string;
  via: AckVia;
  /** Free text the person gave ("moving stock to fridge B"); absent when none. */
  comment?: string;
  /** Processing time the acknowledgement was received, epoch ms. */
  at: EpochMs;
}

export interface StoredAck extends AckEntry {
  /** Increasing in append order within one store. */
  id: number;
}

/**
 * The append-only audit trail of acknowledgements: who acknowledged which
 * alert, when, through which path, with which comment. It is also the shared
 * fact escalation reads: an alert with at least one entry is acknowledged,
 * whichever process (API, notifier) recorded it. Adapters: in-memory (unit
 * tests), SQLite, PostgreSQL; each runs `ackAuditContract`.
 *
 * Contract (every adapter):
 * 1. `append` always adds a new entry (a second acknowledgement of the same
 *    alert is recorded too: the trail shows every attempt) and returns it with
 *    its id; entries are never updated or deleted (the durable adapters refuse
 *    UPDATE and DELETE at the database).
 * 2. `listAcks` returns every entry of one alert, oldest first (append order).
 * 3. `firstAck` is the earliest entry of the alert, or undefined when none:
 *    "is this alert acknowledged?".
 * 4. Entries returned are copies.
 */
export interface AckAuditLog {
  append(entry: AckEntry): Promise<StoredAck>;
  listAcks(alertKey: string): Promise<StoredAck[]>;
  firstAck(alertKey: string): Promise<StoredAck | undefined>;
}
