import type { AlertEvent } from '@coldchain/domain';
import type { PostgresDatabase } from '../../database/postgres-database.js';
import { alertFilterSql } from './alert-filter-sql.js';
import type { AlertFilter, AlertLogRepository } from './alert-log.repository.js';

/** {@link AlertLogRepository} on the PostgreSQL metadata database. */
export class PostgresAlertLogRepository implements AlertLogRepository {
  constructor(private readonly db: PostgresDatabase) {}

  /** One statement for the batch; a key repeated within it counts once, at its first occurrence. */
  async recordAlerts(events: readonly AlertEvent[]): Promise<AlertEvent[]> {
    if (events.length === 0) return [];
    const rows = await this.db.query<{ key: string }>(
      `INSERT INTO alerts (key, tenant_id, tag, rule, transition, started_at, emitted_at, event)
       SELECT key, tenant_id, tag, rule, transition, started_at, emitted_at, event
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[])
         WITH ORDINALITY AS a(key, tenant_id, tag, rule, transition, started_at, emitted_at, event, n)
       ORDER BY n
       ON CONFLICT (key) DO NOTHING
       RETURNING key`,
      [
        events.map((e) => e.key),
        events.map((e) => e.tenantId),
        events.map((e) => e.tag),
        events.map((e) => e.rule),
        events.map((e) => e.transition),
        events.map((e) => e.startedAt),
        events.map((e) => e.emittedAt),
        events.map((e) => JSON.stringify(e)),
      ],
    );
    const inserted = new Set(rows.map((r) => r.key));
    return events.filter((e) => inserted.delete(e.key));
  }

  async listAlerts(tenantId: string, limit: number, filter?: AlertFilter): Promise<AlertEvent[]> {
    const { where, values } = alertFilterSql(filter, (n) => `$${n}`);
    // COLLATE "C": byte order on the tie-break, as SQLite's BINARY, whatever the database's locale.
    const rows = await this.db.query<{ event: string }>(
      `SELECT event FROM alerts WHERE tenant_id = $1${where} ORDER BY emitted_at DESC, key COLLATE "C" LIMIT $${values.length + 2}`,
      [tenantId, ...values, limit],
    );
    return rows.map((r) => JSON.parse(r.event) as AlertEvent);
  }
}
