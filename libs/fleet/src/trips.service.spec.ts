import { beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@coldchain/domain';
import { ConflictError, InvalidInputError, NotFoundError } from '@coldchain/errors';
import { hashHubSecret, SqliteDatabase } from '@coldchain/metadata-store';
import { TripsService } from './trips.service.js';
import { startMetadata, type MetadataHarness } from '../../../test/support/metadata.js';

const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);
const HUB = '356938035643809';
const TAG1 = 'AA:BB:CC:00:00:01';
const TAG2 = 'AA:BB:CC:00:00:02';
const owner = { userId: 'u1', tenantId: 'acme', email: 'ana@acme.example' };
const stranger = { userId: 'u2', tenantId: 'other', email: 'bob@other.example' };

describe('TripsService', () => {
  let store: MetadataHarness;
  let clock: ManualClock;
  let trips: TripsService;

  beforeEach(async () => {
    store = await startMetadata(new SqliteDatabase(join(mkdtempSync(join(tmpdir(), 'cc-trips-')), 'm.db')));
    await store.tenants.createTenant({ id: 'acme', name: 'Acme' });
    await store.tenants.createTenant({ id: 'other', name: 'Other' });
    await store.hubs.createHub({
      imei: HUB,
      tenantId: 'acme',
      name: 'Truck',
      secretHash: hashHubSecret('s'),
    });
    await store.tags.createTag({ mac: TAG1, tenantId: 'acme', name: 'Pallet 1' });
    await store.tags.createTag({ mac: TAG2, tenantId: 'acme', name: 'Pallet 2' });
    await store.tags.createTag({ mac: 'CC:00:00:00:00:09', tenantId: 'other', name: 'Theirs' });
    clock = new ManualClock(T0);
    trips = new TripsService(store, clock);
  });

  it('plans a trip with normalised, de-duplicated devices, then starts and stops it on the clock, all audited', async () => {
    const planned = await trips.create(owner, {
      name: 'LIS-MAD',
      origin: 'Lisbon',
      destination: 'Madrid',
      tags: ['aa-bb-cc-00-00-01', TAG1, 'AABBCC000002'],
      hubs: [HUB],
    });
    expect(planned).toMatchObject({ tenantId: 'acme', tags: [TAG1, TAG2], hubs: [HUB], createdAt: T0 });
    expect(planned.startedAt).toBeUndefined();
    clock.set(T0 + 60_000);
    expect((await trips.start(owner, planned.id)).startedAt).toBe(T0 + 60_000);
    clock.set(T0 + 3_600_000);
    expect(await trips.stop(owner, planned.id)).toMatchObject({
      startedAt: T0 + 60_000,
      endedAt: T0 + 3_600_000,
    });
    const audit = await store.audit.listAudit('acme', {
      objectType: 'trip',
      objectId: planned.id,
      limit: 10,
    });
    expect(audit.map((a) => a.action)).toEqual(['trip.stop', 'trip.start', 'trip.create']);
    expect(audit[0]).toMatchObject({ actorEmail: 'ana@acme.example', detail: { at: T0 + 3_600_000 } });
  });

  it("refuses other tenants' or unknown devices, naming each, and an empty trip", async () => {
    const attempt = trips.create(owner, {
      name: 'x',
      tags: ['CC:00:00:00:00:09', 'nonsense', TAG1],
      hubs: ['123'],
    });
    await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
    await expect(attempt).rejects.toThrow(
      /CC:00:00:00:00:09 is not a tag of this tenant; tags: "nonsense" is not a MAC address; hubs: "123" is not an IMEI/,
    );
    await expect(trips.create(owner, { name: 'x', tags: [] })).rejects.toThrow(/at least one tag/);
  });

  it('keeps a trip invisible to another tenant: NotFoundError for get, start, stop and update', async () => {
    const t = await trips.create(owner, { name: 'mine', tags: [TAG1] });
    await expect(trips.get(stranger, t.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(trips.start(stranger, t.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(trips.stop(stranger, t.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(trips.update(stranger, t.id, { name: 'theirs' })).rejects.toBeInstanceOf(NotFoundError);
    expect(await trips.list(stranger)).toEqual([]);
  });

  it('follows the lifecycle: no stop before start, no second start, no edit once completed', async () => {
    const t = await trips.create(owner, { name: 'life', tags: [TAG1] });
    await expect(trips.stop(owner, t.id)).rejects.toThrow(
      /is planned: only a trip in progress can be stopped/,
    );
    await trips.start(owner, t.id);
    await expect(trips.start(owner, t.id)).rejects.toBeInstanceOf(ConflictError);
    await trips.stop(owner, t.id);
    await expect(trips.update(owner, t.id, { name: 'rewrite history' })).rejects.toThrow(/completed/);
  });

  it('lets a tag ride in one trip in progress at a time', async () => {
    const a = await trips.create(owner, { name: 'A', tags: [TAG1] });
    const b = await trips.create(owner, { name: 'B', tags: [TAG1, TAG2] });
    await trips.start(owner, a.id);
    await expect(trips.start(owner, b.id)).rejects.toThrow(/AA:BB:CC:00:00:01 \(trip A\)/);
    const c = await trips.create(owner, { name: 'C', tags: [TAG2] });
    await trips.start(owner, c.id);
    await expect(trips.update(owner, c.id, { tags: [TAG1, TAG2] })).rejects.toBeInstanceOf(ConflictError);
    await trips.stop(owner, a.id);
    expect((await trips.update(owner, c.id, { tags: [TAG1, TAG2] })).tags).toEqual([TAG1, TAG2]);
  });
});
