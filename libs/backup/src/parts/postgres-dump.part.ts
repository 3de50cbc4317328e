import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { BackupPart, StagedFile } from './backup-part.port.js';
import { runEngineTool } from './engine-tool.js';

/**
 * The directory of PostgreSQL's client tools: `binDir` when given, else the
 * newest installed Debian server's (`/usr/lib/postgresql/<major>/bin`, what
 * infra/engines/postgres.sh installs), else the PATH. pg_dump must be at
 * least the server's major version.
 */
export function postgresBinDir(binDir?: string): string | undefined {
  if (binDir) return binDir;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((d) => /^\d+$/.test(d) && existsSync(join(root, d, 'bin', 'pg_dump')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length > 0 ? join(root, majors[0], 'bin') : undefined;
}

/** DATABASE_URL split into a password-free URL (for argv) and libpq's environment. */
function libpq(databaseUrl: string): { url: string; env: Record<string, string> } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { url: url.toString(), env: password ? { PGPASSWORD: password } : {} };
}

/**
 * The metadata schema on PostgreSQL: `pg_dump --format=custom --schema=<schema>`
 * (one consistent snapshot: pg_dump reads in one repeatable-read transaction
 * while the platform keeps writing), restored with `pg_restore` into a
 * schema that does not exist or holds no table.
 */
export class PostgresDumpPart implements BackupPart {
  readonly engine = 'postgres';

  constructor(
    private readonly databaseUrl: string,
    private readonly schema: string,
    private readonly binDir?: string,
  ) {}

  describe(): Record<string, string> {
    return { 'postgres.schema': this.schema };
  }

  private tool(name: 'pg_dump' | 'pg_restore'): string {
    const dir = postgresBinDir(this.binDir);
    return dir ? join(dir, name) : name;
  }

  async snapshot(stageDir: string): Promise<StagedFile[]> {
    mkdirSync(join(stageDir, this.engine), { recursive: true, mode: 0o700 });
    const path = join(stageDir, this.engine, 'metadata.dump');
    const { url, env } = libpq(this.databaseUrl);
    await runEngineTool(
      this.tool('pg_dump'),
      ['--format=custom', `--schema=${this.schema}`, '--no-owner', `--file=${path}`, `--dbname=${url}`],
      env,
    );
    return [{ name: `${this.engine}/metadata.dump`, path }];
  }

  private async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  async isEmpty(): Promise<boolean> {
    const rows = await this.query<{ n: string }>(
      'SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1',
      [this.schema],
    );
    return Number(rows[0].n) === 0;
  }

  async restore(stageDir: string, files: readonly string[], options: { force: boolean }): Promise<void> {
    // The dump creates the schema: an empty one left in place (or, with force, a full one) goes first.
    if (options.force || (await this.isEmpty()))
      await this.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(this.schema)} CASCADE`);
    const { url, env } = libpq(this.databaseUrl);
    for (const name of files)
      await runEngineTool(
        this.tool('pg_restore'),
        ['--no-owner', '--exit-on-error', `--dbname=${url}`, join(stageDir, name)],
        env,
      );
  }
}
