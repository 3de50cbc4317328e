import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BackupError } from '../backup.error.js';
import type { BackupPart, StagedFile } from './backup-part.port.js';
import { runEngineTool } from './engine-tool.js';

export interface InfluxPortableSettings {
  /** INFLUX_URL: the HTTP API, for InfluxQL (SHOW, DROP DATABASE). */
  url: string;
  token?: string;
  /** influxd's backup/restore RPC address, host:port (INFLUX_RPC_ADDRESS; the infra sets INFLUXD_RPC_PORT). */
  rpcAddress: string;
  /** The databases of INFLUX_BUCKET and INFLUX_POSITIONS_BUCKET (`<database>/<retention policy>`). */
  databases: readonly string[];
}

/**
 * The telemetry on InfluxDB 1.x: `influxd backup -portable` per database
 * (shard snapshots taken while writes go on, with the retention policies),
 * restored with `influxd restore -portable` into a database that does not
 * exist or holds no measurement. Both talk to influxd's RPC port, which
 * listens on loopback only: run the command on the InfluxDB host.
 */
export class InfluxPortablePart implements BackupPart {
  readonly engine = 'influxdb';

  constructor(private readonly settings: InfluxPortableSettings) {}

  describe(): Record<string, string> {
    return { 'influxdb.databases': this.settings.databases.join(',') };
  }

  async snapshot(stageDir: string): Promise<StagedFile[]> {
    const staged: StagedFile[] = [];
    for (const db of this.settings.databases) {
      const dir = join(stageDir, this.engine, db);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      await runEngineTool('influxd', [
        'backup',
        '-portable',
        '-host',
        this.settings.rpcAddress,
        '-database',
        db,
        dir,
      ]);
      for (const file of readdirSync(dir).sort())
        staged.push({ name: `${this.engine}/${db}/${file}`, path: join(dir, file) });
    }
    return staged;
  }

  private async influxql(q: string): Promise<Array<{ name?: string; values?: string[][] }>> {
    const res = await fetch(new URL('/query', this.settings.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(this.settings.token ? { authorization: `Token ${this.settings.token}` } : {}),
      },
      body: new URLSearchParams({ q }).toString(),
    });
    const body = (await res.json().catch(() => ({}))) as {
      results?: Array<{ error?: string; series?: Array<{ name?: string; values?: string[][] }> }>;
      error?: string;
    };
    const error = body.error ?? body.results?.find((r) => r.error)?.error;
    if (!res.ok || error)
      throw new BackupError(
        `InfluxDB refused ${q.split(' ').slice(0, 2).join(' ')}: ${error ?? res.status}`,
        {
          code: 'backup_engine_failed',
          retriable: res.status >= 500,
        },
      );
    return body.results?.[0]?.series ?? [];
  }

  private async existing(): Promise<Set<string>> {
    const series = await this.influxql('SHOW DATABASES');
    return new Set((series[0]?.values ?? []).map((v) => v[0]));
  }

  private async measurements(db: string): Promise<number> {
    const series = await this.influxql(`SHOW MEASUREMENTS ON "${db.replace(/"/g, '\\"')}"`);
    return series[0]?.values?.length ?? 0;
  }

  async isEmpty(): Promise<boolean> {
    const existing = await this.existing();
    for (const db of this.settings.databases)
      if (existing.has(db) && (await this.measurements(db)) > 0) return false;
    return true;
  }

  async restore(stageDir: string, files: readonly string[], options: { force: boolean }): Promise<void> {
    const existing = await this.existing();
    const dbs = [...new Set(files.map((f) => f.split('/')[1]))];
    for (const db of dbs) {
      // influxd refuses to restore over an existing database: an empty one (or, with force, any) goes first.
      if (existing.has(db) && (options.force || (await this.measurements(db)) === 0))
        await this.influxql(`DROP DATABASE "${db.replace(/"/g, '\\"')}"`);
      await runEngineTool('influxd', [
        'restore',
        '-portable',
        '-host',
        this.settings.rpcAddress,
        '-db',
        db,
        join(stageDir, this.engine, db),
      ]);
    }
  }
}
