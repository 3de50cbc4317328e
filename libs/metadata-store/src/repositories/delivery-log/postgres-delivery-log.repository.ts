import pg from 'pg';
import type { EpochMs } from '@coldchain/domain';
import { EngineUnavailableError, InvalidInputError, NotFoundError } from '@coldchain/errors';
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
import { toStoreError } from '../../database/postgres-errors.js';
import { createPostgresPool } from '../../database/postgres-pool.js';

/** Tunables of the PostgreSQL delivery log, units in the names. */
export const POSTGRES_DELIVERY_LOG_DEFAULTS = {
  /** Connections per process: deliveries of one alert run concurrently (a few targets), callbacks arrive alongside. */
  poolSize: 4,
  connectionTimeoutMs: 5_000, // 5 s
  idleTimeoutMs: 30_000, // 30 s
  /** Server-side statement_timeout; every statement here touches a handful of rows by index. */
  statementTimeoutMs: 15_000, // 15 s
  applicationName: 'coldchain-delivery-log',
};

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

type Queryable = Pick<pg.PoolClient, 'query'>;

type RowWithStatuses = DeliveryRow & { statuses: StatusRow[] };

/**
 * Deliveries and, per row, their callbacks in append order as a JSON array (`statuses`), in one
 * statement. `where` (and any ORDER BY / LIMIT) names the deliveries' columns unqualified.
 */
const selectWithStatuses = (where: string): string =>
  `SELECT ${DELIVERY_COLUMNS},
     (SELECT COALESCE(json_agg(json_build_object('idempotency_key', s.idempotency_key, 'status', s.status,
               'raw', s.raw, 'at', s.at, 'error_code', s.error_code) ORDER BY s.id), '[]'::json)
        FROM notification_delivery_statuses s WHERE s.idempotency_key = d.idempotency_key) AS statuses
   FROM notification_deliveries d ${where}`;

/**
 * DeliveryLog and AckAuditLog on PostgreSQL, in the metadata store's schema
 * (tables of migration 4: start a PostgresDatabase on the same schema
 * first, it migrates). Safe with several notifier instances: `acquire` inserts
 * with ON CONFLICT DO NOTHING (the UNIQUE constraint decides which instance
 * created the row), otherwise locks the row (SELECT … FOR UPDATE) before
 * deciding; fenced updates carry their condition in the WHERE clause.
 * Errors are mapped like the metadata store's (postgres-errors.ts): an
 * unreachable or timed-out server is a retriable EngineUnavailableError.
 */
export class PostgresDeliveryLog implements DeliveryLog, AckAuditLog {
  private readonly pool: pg.Pool;
  /** Outcome of the last statement (optimistic until the first one). */
  private lastOk = true;

  constructor(
    databaseUrl: string,
    options: { schema?: string } & Partial<typeof POSTGRES_DELIVERY_LOG_DEFAULTS> = {},
  ) {
    const { schema = 'public', ...tunables } = options;
    if (!SCHEMA_NAME.test(schema))
      throw new InvalidInputError(
        `postgres delivery log: schema "${schema}" must be a lower-case SQL identifier`,
      );
    this.pool = createPostgresPool({ databaseUrl, schema, ...POSTGRES_DELIVERY_LOG_DEFAULTS, ...tunables });
    this.pool.on('error', () => {
      // An idle connection broke; pg replaces it on demand. Without a listener the process would crash.
      this.lastOk = false;
    });
  }

  isHealthy(): boolean {
    return !this.pool.ended && this.lastOk;
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  async acquire(init: DeliveryInit, now: EpochMs, leaseMs: number): Promise<AcquireResult> {
    const insert = `INSERT INTO notification_deliveries (${DELIVERY_COLUMNS})
      VALUES ($1, $2, $3, $4, $5, $6, $7, 'sending', 1, $8, $8, $9, NULL, NULL, NULL, NULL, NULL)
      ON CONFLICT DO NOTHING`;
    const values = [...deliveryIdentityParams(init), now, now + leaseMs];
    // A key seen for the first time, the case on every alert's path, is one statement (one round
    // trip, atomic on its own): the row it returns is the record, with no provider callbacks yet
    // (they reference an existing delivery). Was a transaction of five round trips.
    const fresh = await this.query<DeliveryRow>(`${insert} RETURNING ${DELIVERY_COLUMNS}`, values);
    if (fresh[0]) return { acquired: true, record: toDeliveryRecord(fresh[0], []) };
    // The key (or its alert, contact and channel) exists: decide under the row's lock. The insert is
    // tried again in the transaction, so a row removed in between is created here as above.
    return this.transaction(async (c) => {
      const inserted = await c.query(insert, values);
      if (inserted.rowCount === 1)
        return { acquired: true, record: await this.reread(c, init.idempotencyKey) };
      const existing = await this.row(c, init.idempotencyKey, true);
      if (!existing)
        throw new InvalidInputError(
          `delivery ${init.idempotencyKey}: (alert, contact, channel) already recorded under another key`,
        );
      if (!isDueAgain(existing, now))
        return { acquired: false, record: await this.reread(c, init.idempotencyKey) };
      await c.query(
        `UPDATE notification_deliveries SET state = 'sending', attempts = attempts + 1, lease_until = $1,
           next_attempt_at = NULL, updated_at = $2 WHERE idempotency_key = $3`,
        [now + leaseMs, now, init.idempotencyKey],
      );
      return { acquired: true, record: await this.reread(c, init.idempotencyKey) };
    });
  }

  async markSent(
    key: string,
    receipt: { provider: ProviderName; providerMessageId: string },
    now: EpochMs,
  ): Promise<DeliveryRecord> {
    return this.transaction(async (c) => {
      // The first receipt wins: a row already sent with a message id is left alone.
      await c.query(
        `UPDATE notification_deliveries SET state = 'sent', provider = $1, provider_message_id = $2,
           lease_until = NULL, next_attempt_at = NULL, updated_at = $3
         WHERE idempotency_key = $4 AND NOT (state = 'sent' AND provider_message_id IS NOT NULL)`,
        [receipt.provider, receipt.providerMessageId, now, key],
      );
      return this.reread(c, key);
    });
  }

  async markRetry(
    key: string,
    attempt: number,
    error: DeliveryErrorInfo,
    nextAttemptAt: EpochMs,
    now: EpochMs,
  ): Promise<DeliveryRecord> {
    return this.transaction(async (c) => {
      await c.query(
        `UPDATE notification_deliveries SET state = 'retry_wait', last_error = $1, next_attempt_at = $2,
           lease_until = NULL, updated_at = $3 WHERE idempotency_key = $4 AND state = 'sending' AND attempts = $5`,
        [JSON.stringify(error), nextAttemptAt, now, key, attempt],
      );
      return this.reread(c, key);
    });
  }

  async markFailed(
    key: string,
    attempt: number,
    error: DeliveryErrorInfo,
    now: EpochMs,
  ): Promise<DeliveryRecord> {
    return this.transaction(async (c) => {
      await c.query(
        `UPDATE notification_deliveries SET state = 'failed', last_error = $1, next_attempt_at = NULL,
           lease_until = NULL, updated_at = $2 WHERE idempotency_key = $3 AND state = 'sending' AND attempts = $4`,
        [JSON.stringify(error), now, key, attempt],
      );
      return this.reread(c, key);
    });
  }

  async recordProviderStatus(update: ProviderStatusUpdate): Promise<DeliveryRecord | undefined> {
    return this.transaction(async (c) => {
      const byKey = update.idempotencyKey ? await this.row(c, update.idempotencyKey, true) : undefined;
      const r =
        byKey ??
        (
          await c.query<DeliveryRow>(
            `SELECT ${DELIVERY_COLUMNS} FROM notification_deliveries WHERE provider_message_id = $1
             ORDER BY seq LIMIT 1 FOR UPDATE`,
            [update.providerMessageId],
          )
        ).rows[0];
      if (!r) return undefined;
      await c.query(
        'INSERT INTO notification_delivery_statuses (idempotency_key, status, raw, at, error_code) VALUES ($1, $2, $3, $4, $5)',
        [r.idempotency_key, update.status, update.raw, update.at, update.errorCode ?? null],
      );
      const status = advancesStatus(
        (r.provider_status ?? undefined) as ProviderStatus | undefined,
        update.status,
      )
        ? update.status
        : r.provider_status;
      const healed = r.state !== 'sent';
      await c.query(
        `UPDATE notification_deliveries SET provider_status = $1, state = 'sent',
           lease_until = CASE WHEN $2 THEN NULL ELSE lease_until END,
           next_attempt_at = CASE WHEN $2 THEN NULL ELSE next_attempt_at END,
           provider_message_id = COALESCE(provider_message_id, $3), updated_at = $4
         WHERE idempotency_key = $5`,
        [status, healed, update.providerMessageId, update.at, r.idempotency_key],
      );
      return this.reread(c, r.idempotency_key);
    });
  }

  async get(key: string): Promise<DeliveryRecord | undefined> {
    return (await this.list('WHERE idempotency_key = $1', [key]))[0];
  }

  async listByAlert(alertKey: string): Promise<DeliveryRecord[]> {
    return this.list('WHERE alert_key = $1 ORDER BY created_at, seq', [alertKey]);
  }

  async listDue(now: EpochMs, limit: number): Promise<DeliveryRecord[]> {
    return this.list(
      `WHERE (state = 'retry_wait' AND COALESCE(next_attempt_at, 0) <= $1)
          OR (state = 'sending' AND COALESCE(lease_until, 0) <= $1)
       ORDER BY updated_at, seq LIMIT $2`,
      [now, limit],
    );
  }

  async listRecentByAddress(
    channel: ChannelKind,
    address: string,
    since: EpochMs,
    limit: number,
  ): Promise<DeliveryRecord[]> {
    return this.list(
      'WHERE address = $1 AND channel = $2 AND created_at >= $3 ORDER BY created_at DESC, seq DESC LIMIT $4',
      [address, channel, since, limit],
    );
  }

  // ---- AckAuditLog ----

  async append(entry: AckEntry): Promise<StoredAck> {
    const rows = await this.query<{ id: number }>(
      'INSERT INTO alert_acks (alert_key, tenant_id, actor, via, comment, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
      ackParams(entry),
    );
    return { ...entry, id: rows[0].id };
  }

  async listAcks(alertKey: string): Promise<StoredAck[]> {
    const rows = await this.query<AckRow>(
      'SELECT id, alert_key, tenant_id, actor, via, comment, at FROM alert_acks WHERE alert_key = $1 ORDER BY id',
      [alertKey],
    );
    return rows.map(toStoredAck);
  }

  async firstAck(alertKey: string): Promise<StoredAck | undefined> {
    const rows = await this.query<AckRow>(
      'SELECT id, alert_key, tenant_id, actor, via, comment, at FROM alert_acks WHERE alert_key = $1 ORDER BY id LIMIT 1',
      [alertKey],
    );
    return rows[0] && toStoredAck(rows[0]);
  }

  // ---- plumbing ----

  private async row(c: Queryable, key: string, forUpdate: boolean): Promise<DeliveryRow | undefined> {
    const res = await c.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM notification_deliveries WHERE idempotency_key = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [key],
    );
    return res.rows[0];
  }

  /** One delivery and its callbacks as `c` sees it (inside a transaction: after its writes). */
  private async reread(c: Queryable, key: string): Promise<DeliveryRecord> {
    const res = await c.query<RowWithStatuses>(selectWithStatuses('WHERE idempotency_key = $1'), [key]);
    if (!res.rows[0]) throw new NotFoundError(`delivery ${key}`);
    return toDeliveryRecord(res.rows[0], res.rows[0].statuses);
  }

  /** Rows and their callbacks in one statement (one round trip and one snapshot; `listByAlert` is on every alert's path). */
  private async list(where: string, params: unknown[]): Promise<DeliveryRecord[]> {
    const rows = await this.query<RowWithStatuses>(selectWithStatuses(where), params);
    return rows.map((r) => toDeliveryRecord(r, r.statuses));
  }

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> {
    if (this.pool.ended) throw new EngineUnavailableError('postgres delivery log', 'closed');
    try {
      const res = await this.pool.query<R>(text, values);
      this.lastOk = true;
      return res.rows;
    } catch (err) {
      throw this.failed(err);
    }
  }

  private async transaction<T>(fn: (c: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    if (this.pool.ended) throw new EngineUnavailableError('postgres delivery log', 'closed');
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw this.failed(err);
    }
    let broken = false;
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query('COMMIT');
      this.lastOk = true;
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw this.failed(err);
    } finally {
      client.release(broken);
    }
  }

  private failed(err: unknown): unknown {
    const mapped = toStoreError(err);
    if (mapped instanceof EngineUnavailableError) this.lastOk = false;
    return mapped;
  }
}
