import { z } from 'zod';
import { KAFKA_SASL_MECHANISMS } from './kafka-security-env.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce
  .number({ message: 'expected a port number' })
  .int('expected an integer')
  .min(0, 'expected 0–65535')
  .max(65535, 'expected 0–65535');
const positiveInt = z.coerce
  .number({ message: 'expected a number' })
  .int('expected an integer')
  .positive('expected > 0');
const nonNegativeInt = z.coerce
  .number({ message: 'expected a number' })
  .int('expected an integer')
  .min(0, 'expected ≥ 0');
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

/**
 * Shortest key or token accepted, bytes (UTF-8): an HMAC or HS256 key below
 * 256 bits can be guessed offline from one signed link, SMS code or token.
 */
export const SECRET_MIN_BYTES = 32;
/** An optional secret: unset, or at least {@link SECRET_MIN_BYTES} bytes. */
const optionalSecret = optionalString.refine(
  (v) => v === undefined || Buffer.byteLength(v, 'utf8') >= SECRET_MIN_BYTES,
  `expected at least ${SECRET_MIN_BYTES} bytes`,
);

/**
 * Every environment variable the platform reads, with its default and unit.
 * `.env.example` lists the same keys; a test keeps the two in step.
 * Validated once at boot: a bad value stops the start with a message naming it.
 */
export const envSchema = z.object({
  /** Log level of every app: error | warn | log | debug. */
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug']).default('log'),
  /** Where the embedded stores, keys, the outbox and demo credentials live; made 0700, its files 0600 at boot. */
  DATA_DIR: z.string().min(1).default('./var'),

  // HTTP API
  /** HTTP API port. */
  PORT: port.default(3000),
  /** Address every server binds. Loopback by default; set 0.0.0.0 to accept hubs from the network. */
  BIND_HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * PEM certificate (chain) and private key paths: PORT serves HTTPS and sends HSTS. Both or
   * neither (plain HTTP, for a TLS proxy in front or a loopback-only start); checked at boot.
   */
  HTTP_TLS_CERT: optionalString,
  HTTP_TLS_KEY: optionalString,

  // MQTT edge (apps/gateway)
  /** embedded: an aedes broker in the gateway; external: subscribe to MQTT_EXTERNAL_URL with a shared subscription. */
  GATEWAY_MODE: z.enum(['embedded', 'external']).default('embedded'),
  /** MQTT port of the embedded broker (plain TCP). */
  MQTT_PORT: port.default(1883),
  /** MQTT over TLS port of the embedded broker; 0 turns the TLS listener off. */
  MQTTS_PORT: port.default(0),
  /** PEM certificate and key paths for MQTTS_PORT. */
  MQTT_TLS_CERT: optionalString,
  MQTT_TLS_KEY: optionalString,
  /**
   * Largest MQTT packet the embedded broker reads, bytes of remaining length (MQTT 3.1.1 §2.2.3):
   * the contract's 256 KiB payload plus topic and header. A larger packet closes the connection
   * as soon as its fixed header arrives, before it is buffered.
   */
  MQTT_MAX_PACKET_BYTES: positiveInt
    .min(1024, 'expected ≥ 1024')
    .max(268_435_455, 'expected ≤ 268435455 (the MQTT maximum)')
    .default(263_168), // 257 KiB
  /** Largest first packet (CONNECT) of a connection, bytes of remaining length; a CONNECT is small. */
  MQTT_MAX_CONNECT_BYTES: positiveInt.min(64, 'expected ≥ 64').max(65_535, 'expected ≤ 65535').default(2048),
  /**
   * Most concurrent connections from one remote address to the embedded broker (count; 0 = no cap).
   * Raise it when many hubs share one address: carrier-grade NAT, a benchmark fleet, or a
   * SIM_HUBS fleet near it (the simulated hubs connect from the platform's own address).
   */
  MQTT_MAX_CONNECTIONS_PER_ADDRESS: nonNegativeInt.default(100),
  /** Longest a connection may stay without a CONNECT, milliseconds; then it is closed. */
  MQTT_CONNECT_TIMEOUT_MS: positiveInt.default(10_000),
  /** External broker URL (GATEWAY_MODE=external). */
  MQTT_EXTERNAL_URL: z.string().default('mqtt://127.0.0.1:1884'),
  /** Shared-subscription group name (GATEWAY_MODE=external): N gateways in one group split the load. */
  MQTT_SHARE_GROUP: z.string().min(1).default('coldchain-gateway'),
  /**
   * Connections one gateway opens to the external broker, all in the share group
   * (mqtt.js handles one unacknowledged message per connection at a time).
   */
  MQTT_EXTERNAL_CONNECTIONS: positiveInt.default(4),

  // Bus
  /** inprocess: the embedded default; kafka: Apache Kafka at KAFKA_BROKERS. */
  BUS: z.enum(['inprocess', 'kafka']).default('inprocess'),
  /** Comma-separated host:port list. */
  KAFKA_BROKERS: z.string().min(1).default('127.0.0.1:9092'),
  KAFKA_CLIENT_ID: z.string().min(1).default('coldchain'),
  /** Partitions of the topics the apps create. */
  KAFKA_PARTITIONS: positiveInt.default(6),
  /** Prefix of every topic and consumer group name, to run several stacks (or test runs) on one cluster. */
  KAFKA_NAMESPACE: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'expected letters, digits, . _ -')
    .default(''),
  /** TLS to the brokers (their SSL or SASL_SSL listener); their certificates and names are verified. */
  KAFKA_SSL: bool.default(false),
  /** PEM file of the CA that signed the brokers' certificates (needs KAFKA_SSL=true); unset = the system's CAs. */
  KAFKA_SSL_CA: optionalString,
  /** SASL: plain (only with KAFKA_SSL=true) | scram-sha-256 | scram-sha-512; unset = none. Needs the two keys below. */
  KAFKA_SASL_MECHANISM: z.enum(KAFKA_SASL_MECHANISMS).optional(),
  KAFKA_SASL_USERNAME: optionalString,
  KAFKA_SASL_PASSWORD: optionalString,

  // Alarm engine
  /** Period of the alarm engine's time-driven rules (tag silent, hub offline, quiet door), milliseconds. */
  ALARM_TICK_INTERVAL_MS: positiveInt.default(10_000),
  /**
   * Ingest's checkpoint period on Kafka, milliseconds: each partition's alarm
   * state is written to the changelog and its telemetry offsets committed at
   * most this often (Kafka Streams' commit.interval.ms), not after every
   * batch; the partitions take turns over the period. Longer = fewer state
   * writes (each tag's snapshot once per period, however many readings); a
   * crash replays about this much telemetry per partition while checkpoints
   * succeed (at most twice it plus one turn; a failing one, e.g. InfluxDB
   * away, commits nothing; stores are idempotent, alerts de-duplicated by
   * key).
   */
  INGEST_COMMIT_INTERVAL_MS: positiveInt.default(10_000),

  // Telemetry store
  /**
   * Days GPS positions are kept (they track vehicles, hence people); the embedded store purges
   * hourly, InfluxDB expires them by its positions retention policy (infra: INFLUX_POSITIONS_DURATION).
   */
  POSITIONS_RETENTION_DAYS: positiveInt.default(60),
  /** Days readings are kept by the embedded store; 0 keeps them for ever (InfluxDB: its retention policy). */
  READINGS_RETENTION_DAYS: nonNegativeInt.default(0),
  /** sqlite: embedded (DATA_DIR/telemetry.db); influxdb: InfluxDB at INFLUX_URL. */
  TELEMETRY_STORE: z.enum(['sqlite', 'influxdb']).default('sqlite'),
  INFLUX_URL: z.string().url().default('http://127.0.0.1:8086'),
  /** PEM file of the CA that signed InfluxDB's certificate, for an https INFLUX_URL; unset = the system's CAs. */
  INFLUX_SSL_CA: optionalString,
  /** API token; required when TELEMETRY_STORE=influxdb (no default credential). */
  INFLUX_TOKEN: optionalString,
  INFLUX_ORG: z.string().default('coldchain'),
  /** Bucket for readings (on InfluxDB 1.x: database/retention-policy). */
  INFLUX_BUCKET: z.string().min(1).default('coldchain/autogen'),
  /** Bucket for GPS positions, expiring after 60 days. */
  INFLUX_POSITIONS_BUCKET: z.string().min(1).default('coldchain/positions_60d'),

  // Metadata store
  /** sqlite: embedded (DATA_DIR/metadata.db); postgres: PostgreSQL at DATABASE_URL. */
  METADATA_STORE: z.enum(['sqlite', 'postgres']).default('sqlite'),
  /**
   * PostgreSQL URL, postgres://user:password@host:port/db; required when METADATA_STORE=postgres
   * (no default credential). TLS as libpq spells it: `?sslmode=verify-full&sslrootcert=<CA file>`
   * (also `sslcert`, `sslkey`); an untrusted server certificate fails the start (not retried).
   */
  DATABASE_URL: optionalString,
  /** PostgreSQL schema of the metadata (created when missing); one per stack or test run on a shared server. */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'expected a lower-case SQL identifier')
    .default('public'),
  /** How often every instance reloads hubs, tags and profiles, milliseconds. */
  METADATA_REFRESH_MS: positiveInt.default(2000),
  /** Days dead letters (refused telemetry: reason, payload prefix, size, hash) are kept; purged hourly by ingest. */
  DEAD_LETTER_RETENTION_DAYS: positiveInt.default(30),

  // Demo tenant and simulated fleet
  /**
   * Seed the demo tenant, hubs, tags, profiles and owner when the metadata store is empty.
   * Read by the embedded platform (`npm start`, the quick start, the explicit demo run), which
   * turns it on unless set, and by `npm run start:stack`, which then runs the seed command
   * (apps/platform seed-demo) before the apps; the separate apps never seed. Off by default:
   * the demo owner's password sits in DATA_DIR/demo-credentials.json, which a production
   * stack must not carry unasked. Seeded outside the demo run, the demo users must change
   * their password at first login.
   */
  SEED_DEMO: bool.default(false),
  /** Simulated hubs publishing over real MQTT in the embedded platform; 0 turns the fleet off. */
  SIM_HUBS: nonNegativeInt.default(3),
  SIM_TAGS_PER_HUB: positiveInt.default(4),
  /** Publish interval of each simulated hub, milliseconds. */
  SIM_INTERVAL_MS: positiveInt.default(5000),

  // Notifications
  SMTP_HOST: optionalString,
  SMTP_PORT: port.default(587),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: optionalString,
  SMTP_PASS: optionalString,
  SMTP_FROM: z.string().default('Coldchain Alerts <alerts@coldchain.local>'),
  /** On-call address of the demo tenant, its routing when no NOTIFY_ROUTING_FILE is given (the demo run, seed-demo). */
  DEMO_ONCALL_EMAIL: z.string().email('expected an email address').default('oncall@demo.coldchain.local'),
  /** On-call mobile (E.164) of the demo tenant: critical alerts are also texted and, unacknowledged, phoned. */
  DEMO_ONCALL_PHONE: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number like +4915112345678')
    .optional(),
  /** Twilio account (AC + 32 hex); with TWILIO_AUTH_TOKEN and TWILIO_FROM it turns SMS and voice on. */
  TWILIO_ACCOUNT_SID: optionalString,
  /** Twilio auth token (32 characters as Twilio issues it); also the key Twilio signs its webhooks with. */
  TWILIO_AUTH_TOKEN: optionalSecret,
  /** E.164 sender number, or a Messaging Service SID (MG…) for SMS. */
  TWILIO_FROM: optionalString,
  /** Re-roots every Twilio REST call (tests: the local stand-in); unset = api.twilio.com. */
  TWILIO_API_BASE_URL: optionalString,
  /** Generic webhook (JSON, HMAC-signed) for chat tools and ticketing; unset = no webhook channel. */
  WEBHOOK_URL: optionalString,
  /** HMAC key of the webhook's signature, ≥ 32 bytes. */
  WEBHOOK_SECRET: optionalSecret,
  /**
   * HMAC key of acknowledgement links and SMS ack codes, ≥ 32 bytes. Unset: the
   * notifier generates one into DATA_DIR/ack-link-secret (fine for one process; set it
   * explicitly when api and notifier run as separate processes). A shorter key, here or
   * in that file, stops the boot: a forged ack would stop a critical alarm's escalation.
   */
  ACK_LINK_SECRET: optionalSecret,
  /** Public origin (+ path prefix) of the platform: ack links and Twilio callback URLs are built on it. */
  PUBLIC_BASE_URL: optionalString,
  /**
   * Map tiles of the dashboard's fleet map, a Leaflet URL template (`https://…/{z}/{x}/{y}.png`).
   * Unset (the default): no tiles, a plain background with the hubs' positions and trails, so the
   * map works without internet.
   */
  DASHBOARD_TILE_URL: optionalString,
  /**
   * Routing file (YAML or JSON): contacts, on-call rotations, profile contact lists and
   * per-tenant policy (docs/notifications.md). Unset: the demo tenant's on-call contact only.
   */
  NOTIFY_ROUTING_FILE: optionalString,
  /** A critical alert still unacknowledged this long is also phoned, milliseconds. */
  NOTIFY_VOICE_AFTER_MS: positiveInt.default(15 * 60_000),
  /** Then, every this long while unacknowledged, the next person in the chain is alerted, milliseconds. */
  NOTIFY_NEXT_PERSON_AFTER_MS: positiveInt.default(10 * 60_000),
  /** Alerts of one hub within this window are summarised in one SMS, milliseconds. */
  NOTIFY_STORM_WINDOW_MS: positiveInt.default(2 * 60_000),
  /** Per-tenant budgets per hour: SMS and calls over budget become emails; emails over budget are dropped (logged). */
  NOTIFY_EMAIL_PER_HOUR: positiveInt.default(60),
  NOTIFY_SMS_PER_HOUR: positiveInt.default(30),
  NOTIFY_VOICE_PER_HOUR: positiveInt.default(10),

  // Operator API authentication (docs/api.md)
  /**
   * HS256 key of the API's access tokens, ≥ 32 bytes. Unset: generated once into
   * DATA_DIR/jwt-secret (fine for one API process; set it when several share the load).
   */
  JWT_SECRET: optionalSecret,
  /**
   * Secret (≥ 32 bytes) whose SHA-256 seeds the Ed25519 key that signs PDF reports
   * (docs/audit-trail.md). Unset: generated once into DATA_DIR/report-signing-key; set
   * it when several API processes serve reports, or to keep one key across installs.
   * Changing it makes reports signed before verify as "signed with another key".
   */
  REPORT_SIGNING_KEY: optionalSecret,
  /** Largest PDF accepted by POST /api/v1/reports/verify, bytes. */
  REPORT_VERIFY_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),
  /** Lifetime of an access token, seconds; the client refreshes it before. */
  ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(300),
  /** A session without any API request for this long ends (log in again), minutes. */
  SESSION_IDLE_MINUTES: positiveInt.default(20),
  /** A session ends this long after login whatever the activity, hours. */
  SESSION_MAX_HOURS: positiveInt.default(12),
  /** Consecutive failed logins for one email that lock it (count). */
  LOGIN_MAX_FAILURES: positiveInt.default(5),
  /** How long a locked email stays locked, minutes. */
  LOGIN_LOCKOUT_MINUTES: positiveInt.default(15),
  /** Login attempts allowed per client address per minute and API process, whatever the emails (count). */
  LOGIN_RATE_PER_MINUTE: positiveInt.default(60),
  /** Shortest password a user may choose (characters). */
  PASSWORD_MIN_LENGTH: z.coerce
    .number({ message: 'expected a number' })
    .int('expected an integer')
    .min(8, 'expected ≥ 8')
    .default(12),

  // Platform administration (docs/api.md, Tenant administration)
  /**
   * Email of the platform admin: created at API start when missing, with a temporary password
   * written to DATA_DIR/platform-admin-credentials.json (mode 0600) that must be changed at first
   * login. Unset: no platform admin is created (tenants then come from the seed only).
   */
  PLATFORM_ADMIN_EMAIL: optionalString.refine(
    (v) => v === undefined || z.email().safeParse(v).success,
    'expected an email address',
  ),
  /**
   * Days a closed tenant's users may still log in, read only, to export their data (0 = none:
   * access ends at closing). A closing may name its own number of days.
   */
  TENANT_CLOSED_READ_ONLY_DAYS: nonNegativeInt.max(365, 'expected ≤ 365').default(30),

  // Backups (libs/backup, docs/operations.md)
  /** Target directory of the backup archives; unset = DATA_DIR/backups. Point it at off-site storage. */
  BACKUP_DIR: optionalString,
  /**
   * Secret the archive key (AES-256-GCM) is derived from, at least 32 bytes (openssl rand -hex 32).
   * Required, or BACKUP_KEY_FILE, outside the embedded quick start, which generates
   * DATA_DIR/backup-key once. Keep a copy away from the archives: without it they cannot be read.
   */
  BACKUP_KEY: optionalSecret,
  /** File holding the archive key's secret (at least 32 bytes), instead of BACKUP_KEY. */
  BACKUP_KEY_FILE: optionalString,
  /**
   * Who runs the backup plan (every 6 h; daily and weekly kept 7 days, monthly 1 year):
   * embedded = the platform, when every engine is embedded; on = the platform, whatever the
   * engines; off = nobody in-process (production: a cron line or systemd timer runs npm run backup).
   */
  BACKUP_SCHEDULE: z.enum(['embedded', 'on', 'off']).default('embedded'),
  /** influxd's backup/restore RPC address, host:port (loopback on the InfluxDB host; the infra uses 8188). */
  INFLUX_RPC_ADDRESS: z.string().min(1).default('127.0.0.1:8088'),
  /** Folder of pg_dump and pg_restore; unset = the newest /usr/lib/postgresql/<major>/bin, else PATH. */
  BACKUP_PG_BIN_DIR: optionalString,

  // Lifecycle
  /** Longest a graceful stop may take before the process exits anyway, milliseconds. */
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(15000),
});

export type ColdchainConfig = z.infer<typeof envSchema>;
