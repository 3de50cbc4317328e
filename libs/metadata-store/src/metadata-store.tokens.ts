/**
 * DI tokens of the metadata store, provided by MetadataStoreModule: the
 * process's database handle, one per repository (a caller injects the two or
 * three it uses), and the hot path's snapshot cache.
 */

/** The process's {@link MetadataDatabase} (open, migrated; health, lock, version, snapshot). */
export const METADATA_DATABASE = Symbol('coldchain.metadata-database');
/** {@link TenantRepository}. */
export const TENANT_REPOSITORY = Symbol('coldchain.tenant-repository');
/** {@link UserRepository}: tenants' users and platform admins. */
export const USER_REPOSITORY = Symbol('coldchain.user-repository');
/** {@link SessionRepository}: login sessions and failed-login counts. */
export const SESSION_REPOSITORY = Symbol('coldchain.session-repository');
/** {@link HubRepository}. */
export const HUB_REPOSITORY = Symbol('coldchain.hub-repository');
/** {@link TagRepository}. */
export const TAG_REPOSITORY = Symbol('coldchain.tag-repository');
/** {@link ProfileRepository}. */
export const PROFILE_REPOSITORY = Symbol('coldchain.profile-repository');
/** {@link TripRepository}. */
export const TRIP_REPOSITORY = Symbol('coldchain.trip-repository');
/** {@link AlertLogRepository}. */
export const ALERT_LOG_REPOSITORY = Symbol('coldchain.alert-log-repository');
/** {@link DeadLetterRepository}. */
export const DEAD_LETTER_REPOSITORY = Symbol('coldchain.dead-letter-repository');
/** {@link HubStatusRepository}. */
export const HUB_STATUS_REPOSITORY = Symbol('coldchain.hub-status-repository');
/** {@link AuditRepository}. */
export const AUDIT_REPOSITORY = Symbol('coldchain.audit-repository');
/** The process's {@link MetadataCache} (the hot path's snapshot). */
export const METADATA_CACHE = Symbol('coldchain.metadata-cache');
