import { kafkaSecurityEnvProblems } from '@coldchain/bus';
import { notificationsEnvProblems } from '@coldchain/notifications';
import { influxTlsEnvProblems } from '@coldchain/telemetry-store';
import { ConfigError } from './config.error.js';
import { envSchema, type ColdchainConfig } from './env.schema.js';

/**
 * Validates the environment once, at boot. Throws a {@link ConfigError} naming
 * every bad key with its value and what was expected, so one failed start
 * reports all problems at once.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): ColdchainConfig {
  const known: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape)) {
    // An empty variable means "not set": take the default.
    if (env[key] !== undefined && env[key] !== '') known[key] = env[key];
  }
  const parsed = envSchema.safeParse(known);
  if (parsed.success) {
    // Cross-key checks: Kafka security (a SASL mechanism without credentials, …), InfluxDB's CA
    // (https only), and the notification settings (Twilio half set, Twilio without PUBLIC_BASE_URL, …).
    const problems = [
      ...kafkaSecurityEnvProblems(parsed.data),
      ...influxTlsEnvProblems(parsed.data),
      ...notificationsEnvProblems(parsed.data),
    ];
    if (problems.length > 0) throw new ConfigError(problems);
    return parsed.data;
  }
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0]);
    return `${key}=${JSON.stringify(known[key] ?? '')} (${issue.message})`;
  });
  throw new ConfigError(problems);
}
