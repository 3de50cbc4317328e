import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@coldchain/config';
import { ColdchainMetrics, HealthRegistry } from '@coldchain/observability';
import { BackupSchedulerService, schedulesBackups } from './backup-scheduler.service.js';

const dir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

function service(env: Record<string, string>) {
  const config = loadConfig({ DATA_DIR: dir('cc-sched-data-'), BACKUP_DIR: dir('cc-sched-out-'), ...env });
  const metrics = new ColdchainMetrics();
  const health = new HealthRegistry();
  const clock = { now: () => Date.UTC(2026, 11, 7, 12) };
  return { config, metrics, health, scheduler: new BackupSchedulerService(config, clock, metrics, health) };
}

const metric = async (metrics: ColdchainMetrics, name: string) =>
  (await metrics.registry.getSingleMetric(name)!.get()).values[0]?.value;

describe('backup scheduler in the platform: /health and /metrics', () => {
  it('shows a failed backup as a degraded backup component and in the metrics', async () => {
    // Production engines and no key: every attempt is refused (backup_no_key).
    const s = service({
      METADATA_STORE: 'postgres',
      DATABASE_URL: 'postgres://u:p@127.0.0.1:1/db',
      BACKUP_SCHEDULE: 'on',
    });
    await s.scheduler.tick();
    expect(s.health.report().components.backup).toBe('degraded');
    expect(await metric(s.metrics, 'coldchain_backup_failing')).toBe(1);
    expect(await metric(s.metrics, 'coldchain_backup_failures_total')).toBe(1);
    expect(await metric(s.metrics, 'coldchain_backup_last_success_timestamp_seconds')).toBe(0);
  });

  it('takes the first backup of an embedded platform at once and reports it up', async () => {
    const s = service({});
    await s.scheduler.tick();
    expect(s.health.report().components.backup).toBe('up');
    expect(await metric(s.metrics, 'coldchain_backup_last_success_timestamp_seconds')).toBe(
      Date.UTC(2026, 11, 7, 12) / 1000,
    );
    expect(await metric(s.metrics, 'coldchain_backup_archives')).toBe(1);
    expect(readdirSync(s.config.BACKUP_DIR!)).toEqual(['coldchain-20261207T120000000Z-embedded.ccbk']);
  });

  it('runs in the embedded default only, unless BACKUP_SCHEDULE says otherwise', () => {
    const embedded = {
      BACKUP_SCHEDULE: 'embedded',
      METADATA_STORE: 'sqlite',
      TELEMETRY_STORE: 'sqlite',
      BUS: 'inprocess',
    } as const;
    expect(schedulesBackups(embedded)).toBe(true);
    expect(schedulesBackups({ ...embedded, BUS: 'kafka' })).toBe(false);
    expect(schedulesBackups({ ...embedded, BUS: 'kafka', BACKUP_SCHEDULE: 'on' })).toBe(true);
    expect(schedulesBackups({ ...embedded, BACKUP_SCHEDULE: 'off' })).toBe(false);
  });
});
