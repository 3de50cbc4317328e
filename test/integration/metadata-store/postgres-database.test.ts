import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { deadLetterPayload, imeiFromBody, type DeadLetter } from '@coldchain/contract';
import {
  MIGRATIONS,
  MetadataCache,
  migrationSql,
  PostgresDatabase,
  hashHubSecret,
  metadataRepositories,
  type PostgresDatabaseOptions,
} from '@coldchain/metadata-store';
import { seedDemoTenant, type DemoCredentials } from '../../../apps/platform/src/demo-tenant.js';
import { metadataDatabaseContract } from '../../contracts/metadata-database.contract.js';
import { alert } from '../../contracts/metadata-fixture.js';
import { ensureInfra } from '../../support/infra.js';

/**
 * The PostgreSQL adapter of the metadata store against the PostgreSQL that
 * infra/up.sh runs: the contract suite every adapter passes, then what only a
 * shared server brings (several processes migrating and seeding at once, a
 * connection that drops). Each store works in its own schema, unique per run,
 * dropped at the end.
 */

const RUN_ID = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const schemas: string[] = [];
/** A schema name unique to this run, dropped in afterAll. */
const schemaFor = (purpose: string): string => {
  const name = `it_${RUN_ID}_${purpose}`;
  schemas.push(name);
  return name;
};

let databaseUrl: string;
let admin: pg.Client;

beforeAll(async () => {
  ({ databaseUrl } = await ensureInfra(['postgres']));
  admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
}, 600_000);

afterAll(async () => {
  if (!admin) return;
  for (const schema of schemas)
    await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  await admin.end();
});

const contractSchema = schemaFor('contract');
metadataDatabaseContract('postgres', () => new PostgresDatabase(databaseUrl, { schema: contractSchema }));

/** A PostgreSQL handle (not started) and the repositories on it, as MetadataStoreModule builds them. */
function pgStore(url: string, options: PostgresDatabaseOptions) {
  const database = new PostgresDatabase(url, options);
  return { database, ...metadataRepositories(database) };
}

/** A port on 127.0.0.1 that nothing listens on (taken from the kernel, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  return port;
}

/**
 * A TCP relay in front of PostgreSQL that the test can cut: `cut()` drops
 * every relayed connection and refuses new ones, as a network failure or a
 * server crash would look to the client; `restore()` relays again.
 */
class CuttableRelay {
  private readonly sockets = new Set<Socket>();
  private cutOff = false;
  private readonly server: Server;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => {
      if (this.cutOff) {
        client.destroy();
        return;
      }
      const upstream = connect(this.target.port, this.target.host);
      for (const [a, b] of [
        [client, upstream],
        [upstream, client],
      ]) {
        this.sockets.add(a);
        a.pipe(b);
        a.on('error', () => b.destroy());
        a.on('close', () => {
          this.sockets.delete(a);
          b.destroy();
        });
      }
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  cut(): void {
    this.cutOff = true;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.cutOff = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function urlWith(url: string, change: (u: URL) => void): string {
  const u = new URL(url);
  change(u);
  return u.toString();
}

describe('PostgresDatabase and its repositories on a shared PostgreSQL', () => {
  it('applies each migration once, in one transaction, when several instances start at once on a fresh schema', async () => {
    const schema = schemaFor('concurrent_start');
    const stores = [1000, 2000, 3000, 4000].map((clock) =>
      pgStore(databaseUrl, { schema, now: () => clock }),
    );
    try {
      await Promise.all(stores.map((s) => s.database.start()));
      const { rows } = await admin.query<{ id: number; applied_at: number }>(
        `SELECT id, applied_at FROM ${pg.escapeIdentifier(schema)}.schema_migrations ORDER BY id`,
      );
      expect(rows.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
      // One instance applied them all (one clock value), and no other applied any again.
      expect(new Set(rows.map((r) => String(r.applied_at))).size).toBe(1);
      for (const s of stores) {
        expect(s.database.isHealthy()).toBe(true);
        expect(await s.tenants.isEmpty()).toBe(true);
      }
    } finally {
      await Promise.all(stores.map((s) => s.database.close()));
    }
  });

  it('cuts the whole payloads of dead letters kept before migration 9 to a prefix, with their size', async () => {
    const schema = schemaFor('dead_letter_bounds');
    const q = pg.escapeIdentifier(schema);
    const old = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
    await old.connect();
    const big = randomBytes(1024 * 1024 + 1); // base64 ends in '=='
    try {
      await old.query(`CREATE SCHEMA ${q}`);
      await old.query(
        'CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      );
      for (const m of MIGRATIONS.filter((x) => x.id < 9)) {
        await old.query(migrationSql(m, 'postgres'));
        await old.query('INSERT INTO schema_migrations (id, name, applied_at) VALUES ($1, $2, 0)', [
          m.id,
          m.name,
        ]);
      }
      await old.query(
        `INSERT INTO dead_letters (received_at, hub, topic, reason, detail, rejections, payload_base64)
         VALUES (1, 'h', 't', 'malformed_json', 'd', '[]', $1), (2, 'h', 't', 'malformed_json', 'd', '[]', '')`,
        [big.toString('base64')],
      );
    } finally {
      await old.end();
    }
    const store = pgStore(databaseUrl, { schema });
    try {
      await store.database.start();
      const [empty, cut] = await store.deadLetters.listDeadLetters(2);
      expect(cut).toMatchObject({
        receivedAt: 1,
        payloadBytes: big.length,
        payloadSha256: null,
        suppressed: 0,
      });
      expect(Buffer.from(cut.payloadPrefixBase64, 'base64').equals(big.subarray(0, 4095))).toBe(true);
      expect(empty).toMatchObject({ payloadBytes: 0, payloadPrefixBase64: '' });
    } finally {
      await store.database.close();
    }
  });

  it('seeds the demo tenant once when several processes find the store empty at the same moment', async () => {
    const schema = schemaFor('seed_race');
    const stores = [1, 2, 3].map(() => pgStore(databaseUrl, { schema }));
    try {
      await Promise.all(stores.map((s) => s.database.start()));
      // The pattern the demo seed runs (seedDemo in apps/platform/src/demo-seed.ts).
      const outcomes = await Promise.all(
        stores.map((s) =>
          s.database.withLock('demo-seed', async (): Promise<DemoCredentials | undefined> =>
            (await s.tenants.isEmpty()) ? seedDemoTenant(s, { hubs: 2, tagsPerHub: 2 }) : undefined,
          ),
        ),
      );
      const seeded = outcomes.filter((c): c is DemoCredentials => c !== undefined);
      expect(seeded).toHaveLength(1);
      const snap = await stores[2].database.snapshot();
      expect(snap.tenants.map((t) => t.id)).toEqual(['demo']);
      expect(snap.hubs).toHaveLength(2);
      expect(snap.tags).toHaveLength(4);
      const cache = new MetadataCache(stores[1].database, 60_000);
      await cache.start();
      try {
        for (const h of seeded[0].hubs)
          expect(cache.authenticateHub(h.imei, h.secret)?.tenantId).toBe('demo');
      } finally {
        cache.stop();
      }
    } finally {
      await Promise.all(stores.map((s) => s.database.close()));
    }
  });

  it('lets a process wait for the seed lock longer than the statement timeout', async () => {
    const schema = schemaFor('lock_wait');
    const statementTimeoutMs = 100;
    const waiterName = `it-lock-waiter-${RUN_ID}`;
    const holder = pgStore(databaseUrl, { schema, statementTimeoutMs });
    const waiter = pgStore(databaseUrl, {
      schema,
      statementTimeoutMs,
      applicationName: waiterName,
    });
    try {
      await Promise.all([holder.database.start(), waiter.database.start()]);
      const order: string[] = [];
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const holderIn = new Promise<void>((resolve) => (entered = resolve));
      const held = holder.database.withLock('demo-seed', async () => {
        order.push('holder in');
        entered();
        await released;
        order.push('holder out');
      });
      await holderIn;
      const waited = waiter.database.withLock('demo-seed', async () => {
        order.push('waiter in');
      });
      let waiterSettled = false;
      const waiterOutcome = waited.then(
        () => 'entered',
        (err: unknown) => err,
      );
      void waiterOutcome.finally(() => (waiterSettled = true));
      try {
        // Hold the lock until the waiter has been blocked on it for several
        // statement timeouts (server clock), or has given up.
        while (!waiterSettled) {
          const { rows } = await admin.query<{ waiting: boolean }>(
            `SELECT EXISTS (
               SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
               WHERE l.locktype = 'advisory' AND NOT l.granted AND a.application_name = $2
                 AND clock_timestamp() - a.query_start > $1 * interval '1 millisecond') AS waiting`,
            [3 * statementTimeoutMs, waiterName],
          );
          if (rows[0].waiting) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } finally {
        release();
      }
      await held;
      expect(await waiterOutcome).toBe('entered');
      expect(order).toEqual(['holder in', 'holder out', 'waiter in']);
    } finally {
      await Promise.all([holder.database.close(), waiter.database.close()]);
    }
  });

  describe('on one store', () => {
    const schema = schemaFor('single');
    let s: ReturnType<typeof pgStore>;
    const tenantId = `t-${randomUUID()}`;
    const imei = imeiFromBody('35' + String(Date.now()).slice(-12));

    beforeAll(async () => {
      s = pgStore(databaseUrl, { schema });
      await s.database.start();
      await s.tenants.createTenant({ id: tenantId, name: 'Acme' });
      await s.hubs.createHub({ imei, tenantId, name: 'Truck', secretHash: hashHubSecret('x') });
    });
    afterAll(async () => {
      await s?.database.close();
    });

    it('returns BIGINT columns (epoch ms, ids, the version) as exact numbers', async () => {
      const at = 1_767_225_600_123; // 2026-01-01T00:00:00.123Z, beyond 32 bits
      await s.hubStatus.setHubStatus(imei, 'offline', at);
      expect(await s.hubStatus.hubStatuses(tenantId)).toEqual([{ imei, status: 'offline', at }]);
      await s.deadLetters.recordDeadLetters([
        {
          v: 1,
          topic: `khub/${imei}/telemetry`,
          hub: imei,
          receivedAt: at,
          reason: 'malformed_json',
          detail: 'x',
          rejections: [],
          ...deadLetterPayload(Buffer.alloc(0)),
          suppressed: 0,
        },
      ]);
      const [last] = await s.deadLetters.listDeadLetters(1);
      expect(last.receivedAt).toBe(at);
      expect(typeof last.id).toBe('number');
      expect(typeof (await s.database.version())).toBe('number');
      expect(typeof (await s.database.snapshot()).version).toBe('number');
    });

    it('numbers the dead letters of one batch in the batch order', async () => {
      const letter = (receivedAt: number): DeadLetter => ({
        v: 1,
        topic: `khub/${imei}/telemetry`,
        hub: imei,
        receivedAt,
        reason: 'invalid_reading',
        detail: `letter ${receivedAt}`,
        rejections: [{ index: 0, reason: 'invalid_tag', detail: `bad ${receivedAt}` }],
        ...deadLetterPayload(Buffer.from(`{"n":${receivedAt}, "quote":"'\\"{}"}`)),
        suppressed: receivedAt,
      });
      await s.deadLetters.recordDeadLetters([letter(11), letter(12), letter(13)]);
      const listed = await s.deadLetters.listDeadLetters(3);
      expect(listed.map((d) => d.receivedAt)).toEqual([13, 12, 11]);
      expect(listed[0].id - listed[2].id).toBe(2);
      expect(listed[2]).toMatchObject({
        detail: 'letter 11',
        rejections: [{ index: 0, reason: 'invalid_tag', detail: 'bad 11' }],
        suppressed: 11,
        ...deadLetterPayload(Buffer.from(`{"n":11, "quote":"'\\"{}"}`)),
      });
    });

    it('counts an alert key repeated within one batch once, at its first occurrence', async () => {
      const key = `k-${randomUUID()}`;
      const first = alert(tenantId, key, 5000, 'AA:BB:CC:DD:EE:02');
      const again = { ...alert(tenantId, key, 6000, 'AA:BB:CC:DD:EE:02'), value: 11 };
      expect(await s.alerts.recordAlerts([first, again])).toEqual([first]);
      expect(await s.alerts.listAlerts(tenantId, 10)).toEqual([first]);
      expect(await s.alerts.recordAlerts([])).toEqual([]);
    });

    it('gives each of several concurrent edits of one profile its own version', async () => {
      const id = `p-${randomUUID()}`;
      const saved = await Promise.all(
        [2, 3, 4, 5, 6].map((max) =>
          s.profiles.saveProfile({ id, tenantId, name: 'P', temperature: { min: 0, max } }),
        ),
      );
      expect(saved.map((p) => p.version).sort()).toEqual([1, 2, 3, 4, 5]);
      const last = saved.find((p) => p.version === 5)!;
      expect((await s.database.snapshot()).profiles.find((p) => p.id === id)).toMatchObject({
        version: 5,
        temperature: last.temperature,
      });
    });

    it('refuses a profile id that belongs to another tenant', async () => {
      const id = `p-${randomUUID()}`;
      const other = `t-${randomUUID()}`;
      await s.tenants.createTenant({ id: other, name: 'Other' });
      await s.profiles.saveProfile({ id, tenantId, name: 'Mine', temperature: { min: 2, max: 8 } });
      await expect(
        s.profiles.saveProfile({ id, tenantId: other, name: 'Theirs', temperature: { min: 2, max: 8 } }),
      ).rejects.toMatchObject({ code: 'invalid_input', retriable: false, message: 'profile id taken' });
    });

    it('refuses an existing tenant id with a clear, non-retriable error', async () => {
      await expect(s.tenants.createTenant({ id: tenantId, name: 'Again' })).rejects.toMatchObject({
        code: 'invalid_input',
        retriable: false,
        message: `tenant "${tenantId}" already exists`,
      });
    });

    it('refuses a tag of an unknown tenant as invalid input, not as an outage', async () => {
      const before = await s.database.version();
      await expect(
        s.tags.createTag({ mac: 'AA:BB:CC:00:00:09', tenantId: `t-${randomUUID()}`, name: 'Stray' }),
      ).rejects.toMatchObject({ code: 'invalid_input', retriable: false });
      expect(await s.database.version()).toBe(before);
      expect(s.database.isHealthy()).toBe(true);
    });
  });

  it('reports an unreachable server as a retriable EngineUnavailableError that keeps the cause', async () => {
    const port = await closedPort();
    const store = pgStore(
      urlWith(databaseUrl, (u) => (u.port = String(port))),
      { schema: schemaFor('unreachable') },
    );
    const error = await store.database.start().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toMatchObject({
      name: 'EngineUnavailableError',
      code: 'engine_unavailable',
      retriable: true,
      cause: expect.objectContaining({ code: 'ECONNREFUSED' }),
    });
    expect(store.database.isHealthy()).toBe(false);
    await expect(store.database.version()).rejects.toMatchObject({
      code: 'engine_unavailable',
      retriable: true,
    });
  });

  it('turns unhealthy and retriable when the connection drops, and recovers when it is back', async () => {
    const pgUrl = new URL(databaseUrl);
    const relay = new CuttableRelay({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
    const relayPort = await relay.listen();
    const store = pgStore(
      urlWith(databaseUrl, (u) => (u.port = String(relayPort))),
      { schema: schemaFor('relay') },
    );
    try {
      await store.database.start();
      await store.tenants.createTenant({ id: 'relay', name: 'Relay' });
      const version = await store.database.version();
      expect(store.database.isHealthy()).toBe(true);

      relay.cut();
      await expect(store.database.version()).rejects.toMatchObject({
        name: 'EngineUnavailableError',
        retriable: true,
        cause: expect.any(Error),
      });
      await expect(store.database.snapshot()).rejects.toMatchObject({ code: 'engine_unavailable' });
      expect(store.database.isHealthy()).toBe(false);

      relay.restore();
      expect(await store.database.version()).toBe(version);
      expect(store.database.isHealthy()).toBe(true);
    } finally {
      await store.database.close();
      await relay.close();
    }
  });

  it('refuses calls once closed, as an unavailable engine', async () => {
    const store = pgStore(databaseUrl, { schema: schemaFor('closed') });
    await store.database.start();
    await store.database.close();
    expect(store.database.isHealthy()).toBe(false);
    await expect(store.tenants.isEmpty()).rejects.toMatchObject({
      code: 'engine_unavailable',
      retriable: true,
    });
  });

  it('refuses a schema name that would need quoting, before connecting', () => {
    expect(() => pgStore(databaseUrl, { schema: 'Bad-Name; DROP' })).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
  });
});
