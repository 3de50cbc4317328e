import type { EpochMs } from '@coldchain/domain';
import type {
  AlertLogRepository,
  AuditRepository,
  HubRepository,
  ProfileRepository,
  TagRepository,
  TripRepository,
  UserRepository,
} from '@coldchain/metadata-store';
import type { TelemetryStorePort } from '@coldchain/telemetry-store';
import { readingPages } from './reading-pages.js';

/** Export format version, the first line's `v`: readers refuse what they do not know. */
export const TENANT_EXPORT_VERSION = 1;

/** Largest number of alert transitions and audit entries exported (newest first, then written oldest last). */
export const EXPORT_LIMITS = { alerts: 1_000_000, audit: 1_000_000, positionsPerHub: 1_000_000 };

/** What a tenant export reads of the metadata: one listing per aggregate. */
export interface TenantExportRepositories {
  users: Pick<UserRepository, 'listUsers'>;
  hubs: Pick<HubRepository, 'listHubs'>;
  tags: Pick<TagRepository, 'listTags'>;
  profiles: Pick<ProfileRepository, 'listProfiles'>;
  trips: Pick<TripRepository, 'listTrips'>;
  alerts: Pick<AlertLogRepository, 'listAlerts'>;
  audit: Pick<AuditRepository, 'listAudit'>;
}

/**
 * Everything a tenant owns, as NDJSON lines (one JSON object per line,
 * `type` first): the data portability the seed contract promises at
 * termination. Streamed: metadata first, then every tag's readings page by
 * page and every hub's positions, so a tenant with years of history is
 * exported without holding it in memory.
 *
 * Never exported: password hashes, hub secret hashes, sessions. Times are
 * epoch ms, as everywhere in the API.
 */
export async function* tenantExport(
  metadata: TenantExportRepositories,
  telemetry: TelemetryStorePort,
  tenantId: string,
  options: { now: EpochMs; from?: EpochMs },
): AsyncGenerator<string> {
  const line = (type: string, value: object) => `${JSON.stringify({ type, ...value })}\n`;
  yield line('export', { v: TENANT_EXPORT_VERSION, tenantId, exportedAt: options.now });
  for (const u of await metadata.users.listUsers(tenantId)) {
    const { passwordHash: _hash, ...user } = u;
    yield line('user', user);
  }
  const hubs = await metadata.hubs.listHubs(tenantId);
  for (const h of hubs) {
    const { secretHash: _secret, ...hub } = h as typeof h & { secretHash?: string };
    yield line('hub', hub);
  }
  const tags = await metadata.tags.listTags(tenantId);
  for (const t of tags) yield line('tag', t);
  for (const p of await metadata.profiles.listProfiles(tenantId)) yield line('profile', p);
  for (const t of await metadata.trips.listTrips(tenantId, EXPORT_LIMITS.alerts)) yield line('trip', t);
  for (const a of await metadata.alerts.listAlerts(tenantId, EXPORT_LIMITS.alerts)) yield line('alert', a);
  for (const e of await metadata.audit.listAudit(tenantId, { limit: EXPORT_LIMITS.audit }))
    yield line('audit', e);
  const from = options.from ?? 0;
  for (const t of tags) {
    for await (const page of readingPages(telemetry, { tenantId, tag: t.mac, from, to: options.now + 1 })) {
      let chunk = '';
      for (const r of page) {
        const { tenantId: _t, ...reading } = r;
        chunk += line('reading', reading);
      }
      yield chunk;
    }
  }
  for (const h of hubs) {
    const positions = await telemetry.positions(
      tenantId,
      h.imei,
      from,
      options.now + 1,
      EXPORT_LIMITS.positionsPerHub,
    );
    let chunk = '';
    for (const p of positions) {
      const { tenantId: _t, ...position } = p;
      chunk += line('position', position);
    }
    if (chunk !== '') yield chunk;
  }
}
