import type { INestApplicationContext } from '@nestjs/common';
import {
  ALERT_LOG_REPOSITORY,
  AUDIT_REPOSITORY,
  DEAD_LETTER_REPOSITORY,
  HUB_REPOSITORY,
  HUB_STATUS_REPOSITORY,
  METADATA_DATABASE,
  PROFILE_REPOSITORY,
  SESSION_REPOSITORY,
  TAG_REPOSITORY,
  TENANT_REPOSITORY,
  TRIP_REPOSITORY,
  USER_REPOSITORY,
  metadataRepositories,
  type MetadataRepositories,
  type PostgresDatabase,
  type SqliteDatabase,
} from '@coldchain/metadata-store';

/** A started metadata database and every repository on it, as one process's MetadataStoreModule holds them. */
export type MetadataHarness = MetadataRepositories & { database: SqliteDatabase | PostgresDatabase };

/** Starts (opens, migrates) `database` and builds the repositories on it. */
export async function startMetadata<D extends SqliteDatabase | PostgresDatabase>(
  database: D,
): Promise<MetadataRepositories & { database: D }> {
  await database.start();
  return { database, ...metadataRepositories(database) };
}

/** The repositories an app's MetadataStoreModule provides, each read from its token, with the database handle. */
export function repositoriesOf(app: Pick<INestApplicationContext, 'get'>): MetadataHarness {
  return {
    database: app.get(METADATA_DATABASE),
    tenants: app.get(TENANT_REPOSITORY),
    users: app.get(USER_REPOSITORY),
    sessions: app.get(SESSION_REPOSITORY),
    hubs: app.get(HUB_REPOSITORY),
    tags: app.get(TAG_REPOSITORY),
    profiles: app.get(PROFILE_REPOSITORY),
    trips: app.get(TRIP_REPOSITORY),
    alerts: app.get(ALERT_LOG_REPOSITORY),
    deadLetters: app.get(DEAD_LETTER_REPOSITORY),
    hubStatus: app.get(HUB_STATUS_REPOSITORY),
    audit: app.get(AUDIT_REPOSITORY),
  };
}
