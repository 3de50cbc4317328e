import { expect, it } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { runBackupCommand, takeBackup } from '@coldchain/backup';
import { BUS, type BusPort } from '@coldchain/bus';
import { ALARM_STATE_TOPIC } from '@coldchain/contract';
import { loadConfig, type ColdchainConfig } from '@coldchain/config';
import { systemClock, type StoredReading } from '@coldchain/domain';
import { NOTIFICATION_LOG, type NotificationLog } from '@coldchain/notifications';
import { type TelemetryStorePort, TELEMETRY_STORE } from '@coldchain/telemetry-store';
import { loginToken } from '../../support/api-users.js';
import { repositoriesOf } from '../../support/metadata.js';
import { startPlatform, type RunningPlatform } from '../../support/platform.js';
import { eventually } from '../../support/process.js';

/** Simulated measured time of the first reading: 22:00 UTC, so the run spans two UTC days. */
const T0 = Date.UTC(2026, 10, 20, 22, 0);
const MIN = 60_000;
/** Messages before the backup (one reading per tag each, a minute apart), with the excursion among them. */
const BEFORE = 180;
/** Messages of the tag out of range (12 °C on the 2–8 °C profile): one raised, then one cleared alert. */
const EXCURSION = new Set([100, 101, 102]);

/** How one mode's drill sets up, wipes and restores. */
export interface DrillMode {
  name: string;
  /** Engine settings of the platform before the wipe. */
  envBefore(): Record<string, string>;
  /** Engine settings of the restore target: empty, fresh names where an engine is shared. */
  envAfter(): Record<string, string>;
  /** Removes everything the platform before the wipe stored (only what the drill created). */
  wipe(before: ColdchainConfig): Promise<void>;
}

interface Fingerprint {
  /** Per tag, per UTC day: reading count and a SHA-256 of the readings (measured time, values, hub). */
  readings: Map<string, { count: number; hash: string }>;
  metadata: Record<string, unknown>;
}

const dayOf = (ts: number): string => new Date(ts).toISOString().slice(0, 10);

async function readingsOf(p: RunningPlatform, tag: string, to: number): Promise<StoredReading[]> {
  return p.app
    .get<TelemetryStorePort>(TELEMETRY_STORE)
    .readings({ tenantId: 'demo', tag, from: T0, to, limit: 100_000 });
}

/**
 * What must survive, per tenant: readings measured before `to` (count and
 * content hash per tag and day), users (with password hashes), hubs (with
 * secret HMACs), alerts, their acknowledgements, the audit trail.
 */
async function fingerprint(p: RunningPlatform, tags: string[], to: number): Promise<Fingerprint> {
  const readings = new Map<string, { count: number; hash: string }>();
  for (const tag of tags) {
    const byDay = new Map<string, StoredReading[]>();
    for (const r of await readingsOf(p, tag, to))
      byDay.set(dayOf(r.ts), [...(byDay.get(dayOf(r.ts)) ?? []), r]);
    for (const [day, rows] of byDay) {
      const content = rows.map((r) => [r.ts, r.hub, r.temperature, r.humidity ?? null, r.battery ?? null]);
      readings.set(`${tag} ${day}`, {
        count: rows.length,
        hash: createHash('sha256').update(JSON.stringify(content)).digest('hex'),
      });
    }
  }
  const repos = repositoriesOf(p.app);
  const log = p.app.get<NotificationLog>(NOTIFICATION_LOG);
  const alerts = await repos.alerts.listAlerts('demo', 1000);
  const acks = await Promise.all(alerts.map((a) => log.listAcks(a.key)));
  const snapshot = await repos.database.snapshot();
  return {
    readings,
    metadata: {
      tenants: await repos.tenants.listTenants(),
      users: await repos.users.listUsers('demo'),
      hubs: snapshot.hubs,
      alerts,
      acks,
      audit: await repos.audit.listAudit('demo', { limit: 1000 }),
    },
  };
}

/** Tags with an alarm state on the changelog (Kafka: as of the alarm stage's last checkpoint). */
async function alarmStateKeys(p: RunningPlatform): Promise<Set<string>> {
  const keys = new Set<string>();
  const partitions = p.config.BUS === 'kafka' ? p.config.KAFKA_PARTITIONS : 1;
  await p.app.get<BusPort>(BUS).readToEnd(
    ALARM_STATE_TOPIC,
    Array.from({ length: partitions }, (_, i) => i),
    (b) => b.keys.forEach((k, i) => (b.values[i] === null ? keys.delete(k) : keys.add(k))),
  );
  return keys;
}

async function hub(p: RunningPlatform, imei: string, secret: string): Promise<MqttClient> {
  return connectAsync(p.mqttUrl, {
    clientId: `khub-${imei}-${randomUUID().slice(0, 6)}`,
    username: imei,
    password: secret,
    reconnectPeriod: 0,
  });
}

/**
 * The restore drill (issue "Data stewardship", item 4), for one mode: ingest
 * with an excursion, its alert and acknowledgement and an audited change;
 * back up while a hub keeps publishing; wipe everything; check that a
 * corrupted archive, a wrong key and a missing archive are refused and leave
 * the target empty; restore; compare per tenant. Nothing measured before the
 * cut-off may be missing; what arrived after it is reported.
 */
export function restoreDrill(mode: DrillMode): void {
  it(`${mode.name}: restores what was there at the cut-off, and a hub reconnects with its old secret`, async () => {
    const backupDir = mkdtempSync(join(tmpdir(), 'cc-backups-'));
    const keyDir = mkdtempSync(join(tmpdir(), 'cc-backup-key-'));
    const before = await startPlatform({
      ...mode.envBefore(),
      BACKUP_DIR: backupDir,
      BACKUP_SCHEDULE: 'off',
    });
    const creds = before.creds;
    const imei = creds.hubs[0].imei;
    const tags = creds.tags.filter((t) => t.hub === imei);
    const hot = tags.find((t) => t.profile.temperature.max === 8)!;
    const macs = tags.map((t) => t.mac);
    const client = await hub(before, imei, creds.hubs[0].secret);
    let seq = 0;
    const publish = (i: number) =>
      client.publishAsync(
        `khub/${imei}/telemetry`,
        JSON.stringify({
          v: 1,
          hub: imei,
          seq: seq++,
          sentAt: T0 + i * MIN,
          readings: tags.map((t) => {
            const mid = (t.profile.temperature.min + t.profile.temperature.max) / 2;
            const c = t === hot && EXCURSION.has(i) ? 12 : mid + (i % 7) / 10;
            return { tag: t.mac, ts: T0 + i * MIN, temperature: c };
          }),
        }),
        { qos: 1 },
      );

    // 1. Ingest, with an excursion, its alert, an acknowledgement and an audited change.
    for (let i = 0; i < BEFORE; i++) await publish(i);
    const raised = await eventually(
      async () =>
        (await repositoriesOf(before.app).alerts.listAlerts('demo', 50)).find(
          (a) => a.tag === hot.mac && a.transition === 'raised',
        ),
      30_000,
      'excursion alert raised',
    );
    const owner = creds.users[0];
    const token = await loginToken(before.httpUrl, owner.email, owner.password);
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const ack = await fetch(`${before.httpUrl}/api/v1/alerts/${encodeURIComponent(raised.key)}/ack`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ comment: 'moved stock to fridge B' }),
    });
    expect(ack.status).toBe(201);
    const renamed = await fetch(`${before.httpUrl}/api/v1/tenant`, {
      method: 'PATCH',
      headers: auth,
      body: JSON.stringify({ name: 'Demo Cold Logistics (drill)' }),
    });
    expect(renamed.status).toBe(200);
    await eventually(
      async () =>
        (await readingsOf(before, hot.mac, T0 + BEFORE * MIN)).length === BEFORE ? true : undefined,
      30_000,
      'readings before the backup stored',
    );

    // The alarm stage writes its state at checkpoints (Kafka: every INGEST_COMMIT_INTERVAL_MS, in
    // turns); a backup holds the state as of the last one. Wait for it to cover these tags.
    await eventually(
      async () => ((k) => (macs.every((m) => k.has(m)) ? true : undefined))(await alarmStateKeys(before)),
      60_000,
      'alarm state checkpointed',
    );

    // 2. Back up while the hub keeps publishing (every message PUBACKed, so stored, before the next).
    let next = BEFORE;
    let publishing = true;
    const ingest = (async () => {
      while (publishing) await publish(next++);
    })();
    while (next < BEFORE + 20) await new Promise((r) => setTimeout(r, 20));
    const ackedBeforeCut = next - 1; // every message up to this one was PUBACKed before the backup started
    const started = Date.now();
    const backup = await takeBackup(before.config, systemClock);
    const backupMs = Date.now() - started;
    const publishedAtCutEnd = next;
    while (next < publishedAtCutEnd + 20) await new Promise((r) => setTimeout(r, 20));
    publishing = false;
    await ingest;
    await client.endAsync();
    const last = next - 1;
    await eventually(
      async () =>
        (await readingsOf(before, hot.mac, T0 + (last + 1) * MIN)).length === last + 1 ? true : undefined,
      30_000,
      'every published reading stored',
    );
    const cut = T0 + (ackedBeforeCut + 1) * MIN;
    const expected = await fingerprint(before, macs, cut);
    const storedBefore = await readingsOf(before, hot.mac, T0 + (last + 1) * MIN);
    await before.close();

    // 3. Wipe. The embedded key was generated into DATA_DIR: the operator's copy is kept aside.
    const generatedKey = join(before.config.DATA_DIR, 'backup-key');
    const keyFile = join(keyDir, 'backup-key');
    if (existsSync(generatedKey)) copyFileSync(generatedKey, keyFile);
    else writeFileSync(keyFile, before.config.BACKUP_KEY!);
    await mode.wipe(before.config);

    const targetDir = mkdtempSync(join(tmpdir(), 'cc-restored-'));
    const afterEnv = {
      ...mode.envAfter(),
      DATA_DIR: targetDir,
      PORT: '0',
      MQTT_PORT: '0',
      SIM_HUBS: '0',
      LOG_LEVEL: 'error',
      BACKUP_DIR: backupDir,
      BACKUP_KEY_FILE: keyFile,
      BACKUP_SCHEDULE: 'off',
    };
    const target = loadConfig(afterEnv);
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    const cli = (command: 'backup' | 'restore', args: string[], config = target) =>
      runBackupCommand(command, args, config, systemClock, io);

    // 4. Refusals: one changed byte, a wrong key, a missing archive. Nothing reaches the target.
    expect(await cli('backup', ['--verify', backup.file])).toBe(0);
    const corrupt = join(backupDir, 'corrupt.ccbk');
    const bytes = readFileSync(backup.file);
    bytes[Math.floor(bytes.length / 2)] ^= 0x10;
    writeFileSync(corrupt, bytes);
    expect(await cli('backup', ['--verify', corrupt])).toBe(1);
    expect(lines.at(-1)).toMatch(/archive was altered/);
    expect(await cli('restore', [corrupt])).toBe(1);
    expect(lines.at(-1)).toMatch(/archive was altered/);
    const wrongKey = join(keyDir, 'wrong-key');
    writeFileSync(wrongKey, 'w'.repeat(64));
    expect(await cli('restore', [backup.file], loadConfig({ ...afterEnv, BACKUP_KEY_FILE: wrongKey }))).toBe(
      1,
    );
    expect(lines.at(-1)).toMatch(/key is wrong or the archive was altered/);
    expect(await cli('restore', [join(backupDir, 'nope.ccbk')])).toBe(1);
    expect(lines.at(-1)).toMatch(/nope\.ccbk not found/);

    // 5. Restore into the empty targets; a second restore is refused without --force.
    const restoreStarted = Date.now();
    expect(await cli('restore', [backup.file])).toBe(0);
    const restoreMs = Date.now() - restoreStarted;
    expect(await cli('restore', [backup.file])).toBe(1);
    expect(lines.at(-1)).toMatch(/restore target not empty .*--force/);
    expect(await cli('restore', [backup.file, '--force'])).toBe(0);

    // 6. Compare per tenant.
    const after = await startPlatform({ ...afterEnv, SEED_DEMO: 'false' });
    try {
      const restored = await fingerprint(after, macs, cut);
      expect(restored.metadata).toEqual(expected.metadata);
      expect([...restored.readings.entries()].sort()).toEqual([...expected.readings.entries()].sort());
      expect(expected.readings.size).toBeGreaterThanOrEqual(macs.length * 2); // two UTC days per tag
      const acks = restored.metadata.acks as Array<Array<{ comment?: string }>>;
      expect(acks.flat().map((a) => a.comment)).toEqual(['moved stock to fridge B']);
      // The alarm engine's per-tag state (changelog) came back for every tag that had readings.
      const stateKeys = await alarmStateKeys(after);
      expect(macs.filter((m) => !stateKeys.has(m))).toEqual([]);
      const restoredAll = await readingsOf(after, hot.mac, T0 + (last + 1) * MIN);
      const afterCut = storedBefore.length - restoredAll.length;
      // A hub reconnects with its old secret (hub HMACs restored) and its readings are stored.
      const again = await hub(after, imei, creds.hubs[0].secret);
      const ts = T0 + (last + 10) * MIN;
      await again.publishAsync(
        `khub/${imei}/telemetry`,
        JSON.stringify({
          v: 1,
          hub: imei,
          seq: 0,
          sentAt: ts,
          readings: [{ tag: hot.mac, ts, temperature: 5 }],
        }),
        { qos: 1 },
      );
      await again.endAsync();
      await eventually(
        async () => ((await readingsOf(after, hot.mac, ts + 1)).some((r) => r.ts === ts) ? true : undefined),
        30_000,
        'reading of the reconnected hub stored',
      );
      // The demo owner logs in with the old password (users, and the JWT key among DATA_DIR's secrets).
      await loginToken(after.httpUrl, owner.email, owner.password);
      console.log(
        `${mode.name} drill: ${ackedBeforeCut + 1} messages before the cut-off all restored; ` +
          `${afterCut} of ${last - ackedBeforeCut} later readings of ${hot.mac} arrived after the cut-off and are not in the backup; ` +
          `archive ${backup.bytes} bytes, backup ${backupMs} ms, restore ${restoreMs} ms`,
      );
    } finally {
      await after.close();
    }
  }, 300_000);
}
