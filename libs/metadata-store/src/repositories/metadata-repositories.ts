import { PostgresDatabase } from '../database/postgres-database.js';
import type { SqliteDatabase } from '../database/sqlite-database.js';
import type { AlertLogRepository } from './alert-log/alert-log.repository.js';
import { PostgresAlertLogRepository } from './alert-log/postgres-alert-log.repository.js';
import { SqliteAlertLogRepository } from './alert-log/sqlite-alert-log.repository.js';
import type { AuditRepository } from './audit/audit.repository.js';
import { PostgresAuditRepository } from './audit/postgres-audit.repository.js';
import { SqliteAuditRepository } from './audit/sqlite-audit.repository.js';
import type { DeadLetterRepository } from './dead-letters/dead-letter.repository.js';
import { PostgresDeadLetterRepository } from './dead-letters/postgres-dead-letter.repository.js';
import { SqliteDeadLetterRepository } from './dead-letters/sqlite-dead-letter.repository.js';
import type { HubStatusRepository } from './hub-status/hub-status.repository.js';
import { PostgresHubStatusRepository } from './hub-status/postgres-hub-status.repository.js';
import { SqliteHubStatusRepository } from './hub-status/sqlite-hub-status.repository.js';
import type { HubRepository } from './hubs/hub.repository.js';
import { PostgresHubRepository } from './hubs/postgres-hub.repository.js';
import { SqliteHubRepository } from './hubs/sqlite-hub.repository.js';
import { PostgresProfileRepository } from './profiles/postgres-profile.repository.js';
import type { ProfileRepository } from './profiles/profile.repository.js';
import { SqliteProfileRepository } from './profiles/sqlite-profile.repository.js';
import { PostgresSessionRepository } from './sessions/postgres-session.repository.js';
import type { SessionRepository } from './sessions/session.repository.js';
import { SqliteSessionRepository } from './sessions/sqlite-session.repository.js';
import { PostgresTagRepository } from './tags/postgres-tag.repository.js';
import { SqliteTagRepository } from './tags/sqlite-tag.repository.js';
import type { TagRepository } from './tags/tag.repository.js';
import { PostgresTenantRepository } from './tenants/postgres-tenant.repository.js';
import { SqliteTenantRepository } from './tenants/sqlite-tenant.repository.js';
import type { TenantRepository } from './tenants/tenant.repository.js';
import { PostgresTripRepository } from './trips/postgres-trip.repository.js';
import { SqliteTripRepository } from './trips/sqlite-trip.repository.js';
import type { TripRepository } from './trips/trip.repository.js';
import { PostgresUserRepository } from './users/postgres-user.repository.js';
import { SqliteUserRepository } from './users/sqlite-user.repository.js';
import type { UserRepository } from './users/user.repository.js';

/**
 * One repository per aggregate, all on one database handle. What a caller
 * receives is the two or three of them it uses (injected by token, see
 * MetadataStoreModule); this record is how the module, the demo seed, tests
 * and benches build them together.
 */
export interface MetadataRepositories {
  tenants: TenantRepository;
  users: UserRepository;
  sessions: SessionRepository;
  hubs: HubRepository;
  tags: TagRepository;
  profiles: ProfileRepository;
  trips: TripRepository;
  alerts: AlertLogRepository;
  deadLetters: DeadLetterRepository;
  hubStatus: HubStatusRepository;
  audit: AuditRepository;
}

/** The repositories of `db`'s engine on `db` (the handle need not be started yet; their methods need it started). */
export function metadataRepositories(db: SqliteDatabase | PostgresDatabase): MetadataRepositories {
  if (db instanceof PostgresDatabase)
    return {
      tenants: new PostgresTenantRepository(db),
      users: new PostgresUserRepository(db),
      sessions: new PostgresSessionRepository(db),
      hubs: new PostgresHubRepository(db),
      tags: new PostgresTagRepository(db),
      profiles: new PostgresProfileRepository(db),
      trips: new PostgresTripRepository(db),
      alerts: new PostgresAlertLogRepository(db),
      deadLetters: new PostgresDeadLetterRepository(db),
      hubStatus: new PostgresHubStatusRepository(db),
      audit: new PostgresAuditRepository(db),
    };
  return {
    tenants: new SqliteTenantRepository(db),
    users: new SqliteUserRepository(db),
    sessions: new SqliteSessionRepository(db),
    hubs: new SqliteHubRepository(db),
    tags: new SqliteTagRepository(db),
    profiles: new SqliteProfileRepository(db),
    trips: new SqliteTripRepository(db),
    alerts: new SqliteAlertLogRepository(db),
    deadLetters: new SqliteDeadLetterRepository(db),
    hubStatus: new SqliteHubStatusRepository(db),
    audit: new SqliteAuditRepository(db),
  };
}
