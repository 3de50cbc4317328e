import { Logger, type Provider } from '@nestjs/common';
import { readOrCreateSecretFile, SECRET_FILES, type ColdchainConfig, CLOCK, CONFIG } from '@coldchain/config';
import type { Clock } from '@coldchain/domain';
import { FleetService, TripsService } from '@coldchain/fleet';
import {
  AuthService,
  SessionEndings,
  TenantsService,
  UsersService,
  type AuthPolicy,
} from '@coldchain/identity';
import {
  AUDIT_REPOSITORY,
  HUB_REPOSITORY,
  HUB_STATUS_REPOSITORY,
  PROFILE_REPOSITORY,
  SESSION_REPOSITORY,
  TAG_REPOSITORY,
  TENANT_REPOSITORY,
  TRIP_REPOSITORY,
  USER_REPOSITORY,
  type AuditRepository,
  type HubRepository,
  type HubStatusRepository,
  type ProfileRepository,
  type SessionRepository,
  type TagRepository,
  type TenantRepository,
  type TripRepository,
  type UserRepository,
} from '@coldchain/metadata-store';
import { type ColdchainMetrics, METRICS } from '@coldchain/observability';
import { PlatformAdminBootstrap } from '../platform/platform-admin.bootstrap.js';
import { AuthMetrics } from './auth.metrics.js';
import { AuthRecordsPurge } from './auth-records-purge.js';

/** File in DATA_DIR holding the generated JWT_SECRET when none is configured. */
export const JWT_SECRET_FILE = SECRET_FILES.JWT_SECRET;

/**
 * JWT_SECRET, or one generated once into DATA_DIR (mode 0600), so that tokens
 * survive a restart of a single-process install. Several API processes behind
 * one load balancer must share it: set it explicitly there. Either is at
 * least 32 bytes: the config refuses a shorter JWT_SECRET, and a shorter file
 * stops the boot naming it (WeakSecretError).
 */
export function resolveJwtSecret(config: Pick<ColdchainConfig, 'JWT_SECRET' | 'DATA_DIR'>): Uint8Array {
  if (config.JWT_SECRET) return new TextEncoder().encode(config.JWT_SECRET);
  const { secret, file, generated } = readOrCreateSecretFile(config.DATA_DIR, JWT_SECRET_FILE, 'JWT_SECRET');
  if (generated) new Logger('Api').log(`JWT_SECRET unset: generated ${file}`);
  return new TextEncoder().encode(secret);
}

/** The auth settings from the validated config, converted to the lib's units (ms). */
export function authPolicyFromConfig(config: ColdchainConfig): AuthPolicy {
  return {
    jwtSecret: resolveJwtSecret(config),
    accessTokenTtlMs: config.ACCESS_TOKEN_TTL_SECONDS * 1000,
    sessionIdleMs: config.SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: config.SESSION_MAX_HOURS * 3_600_000,
    loginMaxFailures: config.LOGIN_MAX_FAILURES,
    loginLockoutMs: config.LOGIN_LOCKOUT_MINUTES * 60_000,
    loginAttemptsPerMinute: config.LOGIN_RATE_PER_MINUTE,
    passwordMinLength: config.PASSWORD_MIN_LENGTH,
  };
}

/**
 * The framework-free services of the operator API, built from the core ports,
 * the auth records purge and the platform admin's bootstrap. SessionEndings is
 * the process's notice of ended sessions: every service that ends sessions
 * tells it, and the live stream listens.
 */
export const OPERATOR_API_PROVIDERS: Provider[] = [
  AuthRecordsPurge,
  PlatformAdminBootstrap,
  { provide: SessionEndings, useFactory: () => new SessionEndings() },
  {
    provide: AuthMetrics,
    inject: [METRICS],
    useFactory: (metrics: ColdchainMetrics) => new AuthMetrics(metrics.registry),
  },
  {
    provide: AuthService,
    inject: [
      CONFIG,
      USER_REPOSITORY,
      SESSION_REPOSITORY,
      TENANT_REPOSITORY,
      CLOCK,
      SessionEndings,
      AuthMetrics,
      AUDIT_REPOSITORY,
    ],
    useFactory: (
      config: ColdchainConfig,
      users: UserRepository,
      sessions: SessionRepository,
      tenants: TenantRepository,
      clock: Clock,
      sessionEndings: SessionEndings,
      metrics: AuthMetrics,
      audit: AuditRepository,
    ) =>
      new AuthService({ users, sessions, tenants, audit }, authPolicyFromConfig(config), clock, {
        sessionEndings,
        onLoginAttempt: (outcome) => metrics.loginAttempt(outcome),
      }),
  },
  {
    provide: UsersService,
    inject: [USER_REPOSITORY, SESSION_REPOSITORY, AUDIT_REPOSITORY, CLOCK, SessionEndings],
    useFactory: (
      users: UserRepository,
      sessions: SessionRepository,
      audit: AuditRepository,
      clock: Clock,
      endings: SessionEndings,
    ) => new UsersService({ users, sessions, audit }, clock, endings),
  },
  {
    provide: TenantsService,
    inject: [CONFIG, TENANT_REPOSITORY, USER_REPOSITORY, AUDIT_REPOSITORY, CLOCK, SessionEndings],
    useFactory: (
      config: ColdchainConfig,
      tenants: TenantRepository,
      users: UserRepository,
      audit: AuditRepository,
      clock: Clock,
      endings: SessionEndings,
    ) => new TenantsService({ tenants, users, audit }, clock, config.TENANT_CLOSED_READ_ONLY_DAYS, endings),
  },
  {
    provide: FleetService,
    inject: [
      HUB_REPOSITORY,
      HUB_STATUS_REPOSITORY,
      TAG_REPOSITORY,
      PROFILE_REPOSITORY,
      USER_REPOSITORY,
      AUDIT_REPOSITORY,
      CLOCK,
    ],
    useFactory: (
      hubs: HubRepository,
      hubStatus: HubStatusRepository,
      tags: TagRepository,
      profiles: ProfileRepository,
      users: UserRepository,
      audit: AuditRepository,
      clock: Clock,
    ) => new FleetService({ hubs, hubStatus, tags, profiles, users, audit }, clock),
  },
  {
    provide: TripsService,
    inject: [TRIP_REPOSITORY, TAG_REPOSITORY, HUB_REPOSITORY, AUDIT_REPOSITORY, CLOCK],
    useFactory: (
      trips: TripRepository,
      tags: TagRepository,
      hubs: HubRepository,
      audit: AuditRepository,
      clock: Clock,
    ) => new TripsService({ trips, tags, hubs, audit }, clock),
  },
];
