import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineUnavailableError } from '@coldchain/errors';
import { ackAuditContract } from '../../../../../test/contracts/ack-audit.contract.js';
import { deliveryLogContract } from '../../../../../test/contracts/delivery-log.contract.js';
import { SqliteDeliveryLog } from './sqlite-delivery-log.repository.js';
import { SqliteDatabase } from '../../database/sqlite-database.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-dl-'));
const file = join(dir, 'metadata.db');
const store = new SqliteDatabase(file);

beforeAll(async () => {
  await store.start(); // applies migration 4
});
afterAll(async () => {
  await store.close();
});

deliveryLogContract(
  'sqlite',
  () => new SqliteDeliveryLog(file),
  (log) => (log as SqliteDeliveryLog).close(),
);
ackAuditContract(
  'sqlite',
  () => new SqliteDeliveryLog(file),
  (log) => (log as SqliteDeliveryLog).close(),
);

describe('sqlite delivery log schema', () => {
  it('refuses a second row for one (alert, contact, channel) at the database, whatever the key', () => {
    const db = new Database(file);
    const insert = db.prepare(
      `INSERT INTO notification_deliveries (idempotency_key, alert_key, tenant_id, contact_id, channel, address,
         state, attempts, created_at, updated_at) VALUES (?, 'a', 't', 'c', 'sms', '+1', 'sending', 1, 0, 0)`,
    );
    insert.run('k1');
    expect(() => insert.run('k2')).toThrow(/UNIQUE/);
    db.close();
  });

  it('keeps the acknowledgement trail append-only at the database', async () => {
    const log = new SqliteDeliveryLog(file);
    await log.append({ alertKey: 'append-only', tenantId: 't', actor: 'dana', via: 'api', at: 1 });
    await log.close();
    const db = new Database(file);
    expect(() => db.prepare("UPDATE alert_acks SET actor = 'mallory'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM alert_acks').run()).toThrow(/append-only/);
    db.close();
  });

  it('refuses to open a file the metadata store has not migrated', () => {
    expect(() => new SqliteDeliveryLog(join(dir, 'empty.db'))).toThrow(EngineUnavailableError);
  });
});
