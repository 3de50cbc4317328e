import type { AlertEvent } from '@coldchain/domain';
import type { SqliteDatabase } from '../../database/sqlite-database.js';
import { alertFilterSql } from './alert-filter-sql.js';
import type { AlertFilter, AlertLogRepository } from './alert-log.repository.js';

/** {@link AlertLogRepository} on the SQLite metadata database. */
export class SqliteAlertLogRepository implements AlertLogRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async recordAlerts(events: readonly AlertEvent[]): Promise<AlertEvent[]> {
    const db = this.db.sql;
    const insert = db.prepare(
      `INSERT INTO alerts (key, tenant_id, tag, rule, transition, started_at, emitted_at, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO NOTHING`,
    );
    return db.transaction(() =>
      events.filter(
        (e) =>
          insert.run(
            e.key,
            e.tenantId,
            e.tag,
            e.rule,
            e.transition,
            e.startedAt,
            e.emittedAt,
            JSON.stringify(e),
          ).changes === 1,
      ),
    )();
  }

  async listAlerts(tenantId: string, limit: number, filter?: AlertFilter): Promise<AlertEvent[]> {
    const { where, values } = alertFilterSql(filter, () => '?');
    const rows = this.db.sql
      .prepare(`SELECT event FROM alerts WHERE tenant_id = ?${where} ORDER BY emitted_at DESC, key LIMIT ?`)
      .all(tenantId, ...values, limit) as Array<{ event: string }>;
    return rows.map((r) => JSON.parse(r.event) as AlertEvent);
  }
}
