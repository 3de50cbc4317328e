import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresDeliveryLog, PostgresDatabase } from '@coldchain/metadata-store';
import { ackAuditContract } from '../../contracts/ack-audit.contract.js';
import { deliveryLogContract } from '../../contracts/delivery-log.contract.js';
import { ensureInfra } from '../../support/infra.js';

/**
 * The PostgreSQL DeliveryLog / AckAuditLog against the PostgreSQL of
 * infra/up.sh, in a schema unique to this run (migrated by the metadata
 * store, dropped at the end): the two contract suites, then what the schema
 * itself guarantees.
 */
const SCHEMA = `it_${Date.now().toString(36)}${randomBytes(3).toString('hex')}_dlog`;
let databaseUrl: string;
let admin: pg.Client;
let store: PostgresDatabase;

beforeAll(async () => {
  ({ databaseUrl } = await ensureInfra(['postgres']));
  store = new PostgresDatabase(databaseUrl, { schema: SCHEMA });
  await store.start(); // applies migration 4
  admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
}, 600_000);

afterAll(async () => {
  await store?.close();
  if (!admin) return;
  await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(SCHEMA)} CASCADE`);
  await admin.end();
});

const make = () => new PostgresDeliveryLog(databaseUrl, { schema: SCHEMA });
const close = (log: unknown) => (log as PostgresDeliveryLog).close();
deliveryLogContract('postgres', make, close);
ackAuditContract('postgres', make, close);

describe('postgres delivery log schema', () => {
  it('grants one of two instances racing for the same delivery (two pools, one database)', async () => {
    const [a, b] = [make(), make()];
    const init = {
      idempotencyKey: `race-${SCHEMA}|dana|sms`,
      alertKey: `race-${SCHEMA}`,
      tenantId: 'acme',
      contactId: 'dana',
      channel: 'sms' as const,
      address: '+4915112345678',
    };
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).acquire(init, 1_000, 60_000)),
    );
    expect(results.filter((r) => r.acquired)).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('refuses a second row for one (alert, contact, channel) at the database, whatever the key', async () => {
    const insert = (key: string) =>
      admin.query(
        `INSERT INTO ${pg.escapeIdentifier(SCHEMA)}.notification_deliveries (idempotency_key, alert_key, tenant_id,
           contact_id, channel, address, state, attempts, created_at, updated_at)
         VALUES ($1, 'uniq', 't', 'c', 'sms', '+1', 'sending', 1, 0, 0)`,
        [key],
      );
    await insert('k1');
    await expect(insert('k2')).rejects.toMatchObject({ code: '23505' });
  });

  it('keeps the acknowledgement trail append-only at the database', async () => {
    const log = make();
    await log.append({ alertKey: 'append-only', tenantId: 't', actor: 'dana', via: 'api', at: 1 });
    await log.close();
    const table = `${pg.escapeIdentifier(SCHEMA)}.alert_acks`;
    await expect(admin.query(`UPDATE ${table} SET actor = 'mallory'`)).rejects.toThrow(/append-only/);
    await expect(admin.query(`DELETE FROM ${table}`)).rejects.toThrow(/append-only/);
  });
});
