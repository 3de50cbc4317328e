import Database from 'better-sqlite3';
import type { EpochMs } from '@coldchain/domain';
import { EngineUnavailableError, NotFoundError } from '@coldchain/errors';
import type { AckAuditLog, AckEntry, StoredAck } from '../ack-audit/ack-audit.repository.js';
import type { AcquireResult, DeliveryLog } from './delivery-log.repository.js';
import {
  advancesStatus,
  type ChannelKind,
  type DeliveryErrorInfo,
  type DeliveryInit,
  type DeliveryRecord,
  type ProviderName,
  type ProviderStatus,
  type ProviderStatusUpdate,
} from './delivery-record.js';
import {
  DELIVERY_COLUMNS,
  ackParams,
  deliveryIdentityParams,
  isDueAgain,
  toDeliveryRecord,
  toStoredAck,
  type AckRow,
  type DeliveryRow,
  type StatusRow,
} from './delivery-rows.js';

/** Tunables of the SQLite delivery log, units in the names. */
export const SQLITE_DELIVERY_LOG_DEFAULTS = {
  /** How long a write waits for another connection's write lock (another process on the file) before failing. */
  busyTimeoutMs: 5_000,
};

const ENGINE = 'sqlite delivery log';

/**
 * DeliveryLog and AckAuditLog on the embedded SQLite metadata file (tables of
 * migration 4; the metadata store applies migrations when it starts, so start
 * it first). Opens its own connection to the file: better-sqlite3 is
 * synchronous, so every method runs its statements in one IMMEDIATE
 * transaction without yielding, which makes `acquire` atomic within this
 * process and, through SQLite's write lock, against other processes on the
 * same file. The UNIQUE constraints of the schema are the last line: a second
 * row for one (alert, contact, channel) cannot exist.
 */
export class SqliteDeliveryLog implements DeliveryLog, AckAuditLog {
  private readonly db: Database.Database;

  constructor(file: string, options: Partial<typeof SQLITE_DELIVERY_LOG_DEFAULTS> = {}) {
    const busyTimeoutMs = options.busyTimeoutMs ?? SQLITE_DELIVERY_LOG_DEFAULTS.busyTimeoutMs;
    this.db = new Database(file, { timeout: busyTimeoutMs });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    const migrated = this.db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'notification_deliveries'")
      .get();
    if (!migrated) {
      this.db.close();
      throw new EngineUnavailableError(ENGINE, `${file} lacks migration 4: start the metadata store first`);
    }
  }

  isHealthy(): boolean {
    return this.db.open;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private row(key: string): DeliveryRow | undefined {
    return this.db
      .prepare(`SELECT ${DELIVERY_COLUMNS} FROM notification_deliveries WHERE idempotency_key = ?`)
      .get(key) as DeliveryRow | undefined;
  }

  private record(row: DeliveryRow): DeliveryRecord {
    const statuses = this.db
      .prepare(
        'SELECT idempotency_key, status, raw, at, error_code FROM notification_delivery_statuses WHERE idempotency_key = ? ORDER BY id',
      )
      .all(row.idempotency_key) as StatusRow[];
    return toDeliveryRecord(row, statuses);
  }

  private reread(key: string): DeliveryRecord {
    const row = this.row(key);
    if (!row) throw new NotFoundError(`delivery ${key}`);
    return this.record(row);
  }

  private tx<T>(fn: () => T): T {
    if (!this.db.open) throw new EngineUnavailableError(ENGINE, 'closed');
    return this.db.transaction(fn).immediate();
  }

  async acquire(init: DeliveryInit, now: EpochMs, leaseMs: number): Promise<AcquireResult> {
    return this.tx(() => {
      const existing = this.row(init.idempotencyKey);
      if (!existing) {
        this.db
          .prepare(
            `INSERT INTO notification_deliveries (${DELIVERY_COLUMNS})
             VALUES (?, ?, ?, ?, ?, ?, ?, 'sending', 1, ?, ?, ?, NULL, NULL, NULL, NULL, NULL)`,
          )
          .run(...deliveryIdentityParams(init), now, now, now + leaseMs);
        return { acquired: true, record: this.reread(init.idempotencyKey) };
      }
      if (!isDueAgain(existing, now)) return { acquired: false, record: this.record(existing) };
      this.db
        .prepare(
          `UPDATE notification_deliveries SET state = 'sending', attempts = attempts + 1, lease_until = ?,
             next_attempt_at = NULL, updated_at = ? WHERE idempotency_key = ?`,
        )
        .run(now + leaseMs, now, init.idempotencyKey);
      return { acquired: true, record: this.reread(init.idempotencyKey) };
    });
  }

  async markSent(
    key: string,
    receipt: { provider: ProviderName; providerMessageId: string },
    now: EpochMs,
  ): Promise<DeliveryRecord> {
    return this.tx(() => {
      const r = this.row(key);
      if (!r) throw new NotFoundError(`delivery ${key}`);
      if (r.state === 'sent' && r.provider_message_id !== null) return this.record(r);
      this.db
        .prepare(
          `UPDATE notification_deliveries SET state = 'sent', provider = ?, provider_message_id = ?,
             lease_until = NULL, next_attempt_at = NULL, updated_at = ? WHERE idempotency_key = ?`,
        )
        .run(receipt.provider, receipt.providerMessageId, now, key);
      return this.reread(key);
    });
  }

  async markRetry(
    key: string,
    attempt: number,
    error: DeliveryErrorInfo,
    nextAttemptAt: EpochMs,
    now: EpochMs,
  ): Promise<DeliveryRecord> {
    return this.tx(() => {
      // Fenced: only the holder of attempt `attempt`, still sending, may move it.
      this.db
        .prepare(
          `UPDATE notification_deliveries SET state = 'retry_wait', last_error = ?, next_attempt_at = ?,
             lease_until = NULL, updated_at = ? WHERE idempotency_key = ? AND state = 'sending' AND attempts = ?`,
        )
        .run(JSON.stringify(error), nextAttemptAt, now, key, attempt);
      return this.reread(key);
    });
  }

  async markFailed(
    key: string,
    attempt: number,
    error: DeliveryErrorInfo,
    now: EpochMs,
  ): Promise<DeliveryRecord> {
    return this.tx(() => {
      this.db
        .prepare(
          `UPDATE notification_deliveries SET state = 'failed', last_error = ?, next_attempt_at = NULL,
             lease_until = NULL, updated_at = ? WHERE idempotency_key = ? AND state = 'sending' AND attempts = ?`,
        )
        .run(JSON.stringify(error), now, key, attempt);
      return this.reread(key);
    });
  }

  async recordProviderStatus(update: ProviderStatusUpdate): Promise<DeliveryRecord | undefined> {
    return this.tx(() => {
      const byKey = update.idempotencyKey ? this.row(update.idempotencyKey) : undefined;
      const r =
        byKey ??
        (this.db
          .prepare(
            `SELECT ${DELIVERY_COLUMNS} FROM notification_deliveries WHERE provider_message_id = ? ORDER BY seq LIMIT 1`,
          )
          .get(update.providerMessageId) as DeliveryRow | undefined);
      if (!r) return undefined;
      this.db
        .prepare(
          'INSERT INTO notification_delivery_statuses (idempotency_key, status, raw, at, error_code) VALUES (?, ?, ?, ?, ?)',
        )
        .run(r.idempotency_key, update.status, update.raw, update.at, update.errorCode ?? null);
      const status = advancesStatus(
        (r.provider_status ?? undefined) as ProviderStatus | undefined,
        update.status,
      )
        ? update.status
        : r.provider_status;
      const healed = r.state !== 'sent';
      this.db
        .prepare(
          `UPDATE notification_deliveries SET provider_status = ?, state = 'sent',
             lease_until = CASE WHEN ? THEN NULL ELSE lease_until END,
             next_attempt_at = CASE WHEN ? THEN NULL ELSE next_attempt_at END,
             provider_message_id = COALESCE(provider_message_id, ?), updated_at = ?
           WHERE idempotency_key = ?`,
        )
        .run(status, healed ? 1 : 0, healed ? 1 : 0, update.providerMessageId, update.at, r.idempotency_key);
      return this.reread(r.idempotency_key);
    });
  }

  async get(key: string): Promise<DeliveryRecord | undefined> {
    const r = this.row(key);
    return r && this.record(r);
  }

  async listByAlert(alertKey: string): Promise<DeliveryRecord[]> {
    return this.list(`WHERE alert_key = ? ORDER BY created_at, seq`, [alertKey]);
  }

  async listDue(now: EpochMs, limit: number): Promise<DeliveryRecord[]> {
    return this.list(
      `WHERE (state = 'retry_wait' AND COALESCE(next_attempt_at, 0) <= ?)
          OR (state = 'sending' AND COALESCE(lease_until, 0) <= ?)
       ORDER BY updated_at, seq LIMIT ?`,
      [now, now, limit],
    );
  }

  async listRecentByAddress(
    channel: ChannelKind,
    address: string,
    since: EpochMs,
    limit: number,
  ): Promise<DeliveryRecord[]> {
    return this.list(
      'WHERE address = ? AND channel = ? AND created_at >= ? ORDER BY created_at DESC, seq DESC LIMIT ?',
      [address, channel, since, limit],
    );
  }

  private list(where: string, params: unknown[]): DeliveryRecord[] {
    const rows = this.db
      .prepare(`SELECT ${DELIVERY_COLUMNS} FROM notification_deliveries ${where}`)
      .all(...params) as DeliveryRow[];
    return rows.map((r) => this.record(r));
  }

  // ---- AckAuditLog ----

  async append(entry: AckEntry): Promise<StoredAck> {
    const { lastInsertRowid } = this.db
      .prepare(
        'INSERT INTO alert_acks (alert_key, tenant_id, actor, via, comment, at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(...ackParams(entry));
    return { ...entry, id: Number(lastInsertRowid) };
  }

  async listAcks(alertKey: string): Promise<StoredAck[]> {
    return (
      this.db
        .prepare(
          'SELECT id, alert_key, tenant_id, actor, via, comment, at FROM alert_acks WHERE alert_key = ? ORDER BY id',
        )
        .all(alertKey) as AckRow[]
    ).map(toStoredAck);
  }

  async firstAck(alertKey: string): Promise<StoredAck | undefined> {
    const r = this.db
      .prepare(
        'SELECT id, alert_key, tenant_id, actor, via, comment, at FROM alert_acks WHERE alert_key = ? ORDER BY id LIMIT 1',
      )
      .get(alertKey) as AckRow | undefined;
    return r && toStoredAck(r);
  }
}
