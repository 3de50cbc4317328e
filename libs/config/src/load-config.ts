import { ConfigError } from './config.error.js';
import { envSchema, type ColdchainConfig } from './env.schema.js';
import { influxTlsEnvProblems } from './influx-tls-env.js';
import { kafkaSecurityEnvProblems } from './kafka-security-env.js';
import { notificationsEnvProblems } from './notifications-env.js';

/** Keys whose values never appear in an error message: keys, tokens, passwords. */
const SECRET_KEY = /SECRET|TOKEN|PASS/;

/** `KEY="value"` as an error shows it: secrets as ***, a URL's password masked. */
export function shownSetting(key: string, value: string | undefined): string {
  if (value === undefined || value === '') return `${key}=""`;
  if (SECRET_KEY.test(key)) return `${key}="***"`;
  return `${key}=${JSON.stringify(value.replace(/(\/\/[^/:@]*:)[^@/]*@/, '$1***@'))}`;
}

const unset = (v: unknown): boolean => v === undefined || (typeof v === 'string' && v.trim() === '');

/**
 * An engine selected without its credentials. The engines' settings have no
 * default credential (a `dev-token` or a password in a default URL would start
 * a production app on them silently): the embedded engines need none, and a
 * real engine's must be given.
 */
function engineProblems(values: Partial<Record<keyof ColdchainConfig, unknown>>): string[] {
  const problems: string[] = [];
  if (values.TELEMETRY_STORE === 'influxdb' && unset(values.INFLUX_TOKEN))
    problems.push(`${shownSetting('INFLUX_TOKEN', undefined)} (required when TELEMETRY_STORE=influxdb)`);
  if (values.METADATA_STORE === 'postgres' && unset(values.DATABASE_URL))
    problems.push(`${shownSetting('DATABASE_URL', undefined)} (required when METADATA_STORE=postgres)`);
  return problems;
}

/**
 * Validates the environment once, at boot. Throws a {@link ConfigError} naming
 * every bad key with its value (secrets masked) and what was expected, so one
 * failed start reports all problems at once: per-key problems and cross-key
 * ones (an engine without its credentials, Twilio half set, …) together.
 *
 * `appDefaults` are an app's own defaults for keys the environment leaves
 * unset (the embedded platform turns SEED_DEMO on); a value set always wins.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  appDefaults: Partial<Record<keyof ColdchainConfig, string>> = {},
): ColdchainConfig {
  const known: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape) as Array<keyof ColdchainConfig>) {
    // An empty variable means "not set": take the app's default, else the schema's.
    if (env[key] !== undefined && env[key] !== '') known[key] = env[key];
    else if (appDefaults[key] !== undefined) known[key] = appDefaults[key];
  }
  const parsed = envSchema.safeParse(known);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const key = String(issue.path[0]);
        return `${shownSetting(key, known[key])} (${issue.message})`;
      });
  // Cross-key checks run on the raw values too when a key failed, so that one error names everything
  // (they read only string-valued keys, whose raw values are already strings).
  const values = parsed.success ? parsed.data : (known as Partial<ColdchainConfig>);
  problems.push(...engineProblems(values), ...notificationsEnvProblems(values));
  // Kafka security (a SASL mechanism without credentials, …) and InfluxDB's CA (https only) read
  // typed values (booleans, enums): checked once every key parsed.
  if (parsed.success)
    problems.push(...kafkaSecurityEnvProblems(parsed.data), ...influxTlsEnvProblems(parsed.data));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}

/**
 * A setting the config guarantees once its engine is selected (INFLUX_TOKEN
 * with TELEMETRY_STORE=influxdb, DATABASE_URL with METADATA_STORE=postgres),
 * for the adapter factory; a config not from {@link loadConfig} lacking it
 * fails here with the same wording.
 */
export function requiredSetting(
  config: Partial<ColdchainConfig>,
  key: 'INFLUX_TOKEN' | 'DATABASE_URL',
  because: string,
): string {
  const value = config[key];
  if (value === undefined || value.trim() === '')
    throw new ConfigError([`${shownSetting(key, undefined)} (required when ${because})`]);
  return value;
}
