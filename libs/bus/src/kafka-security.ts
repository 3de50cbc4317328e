import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';

/** SASL mechanisms the bus offers (kafkajs supports them without plugins). */
export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** How the bus protects its connections to Kafka and authenticates. */
export interface KafkaSecurity {
  /** TLS to the brokers (their SSL or SASL_SSL listener), the brokers' certificates verified. */
  ssl: boolean;
  /** PEM file of the CA(s) that signed the brokers' certificates; unset = Node's default CAs. */
  caFile?: string;
  sasl?: { mechanism: KafkaSaslMechanism; username: string; password: string };
}

/** The environment keys of {@link KafkaSecurity}, as the config schema validated them one by one. */
export interface KafkaSecurityEnv {
  KAFKA_SSL: boolean;
  KAFKA_SSL_CA?: string;
  KAFKA_SASL_MECHANISM?: KafkaSaslMechanism;
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
}

/**
 * Cross-key problems of the Kafka security settings, one line per key in the
 * form of the config's error (`KEY="value" (why)`), the password never shown:
 * a mechanism without its credentials or credentials without a mechanism,
 * a CA without TLS or a CA file that cannot be read, and `plain` without TLS
 * (it sends the password as it is).
 */
export function kafkaSecurityEnvProblems(
  env: Partial<KafkaSecurityEnv>,
  readFile: (path: string) => unknown = readFileSync,
): string[] {
  const problems: string[] = [];
  const show = (k: keyof KafkaSecurityEnv): string =>
    `${k}=${JSON.stringify(k === 'KAFKA_SASL_PASSWORD' && env[k] ? '***' : String(env[k] ?? ''))}`;
  if (env.KAFKA_SASL_MECHANISM) {
    for (const k of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const)
      if (!env[k]) problems.push(`${show(k)} (required when KAFKA_SASL_MECHANISM is set)`);
    if (env.KAFKA_SASL_MECHANISM === 'plain' && !env.KAFKA_SSL)
      problems.push(
        `${show('KAFKA_SSL')} (must be true with KAFKA_SASL_MECHANISM=plain: it sends the password as is)`,
      );
  } else if (env.KAFKA_SASL_USERNAME || env.KAFKA_SASL_PASSWORD) {
    problems.push(
      `${show('KAFKA_SASL_MECHANISM')} (required when KAFKA_SASL_USERNAME or KAFKA_SASL_PASSWORD is set: ` +
        `${KAFKA_SASL_MECHANISMS.join(' | ')})`,
    );
  }
  if (env.KAFKA_SSL_CA) {
    if (!env.KAFKA_SSL) problems.push(`${show('KAFKA_SSL')} (must be true when KAFKA_SSL_CA is set)`);
    try {
      readFile(env.KAFKA_SSL_CA);
    } catch (err) {
      problems.push(`${show('KAFKA_SSL_CA')} (cannot read it: ${(err as Error).message})`);
    }
  }
  return problems;
}

/** {@link KafkaSecurity} from validated environment keys (see {@link kafkaSecurityEnvProblems}). */
export function kafkaSecurityFromEnv(env: KafkaSecurityEnv): KafkaSecurity {
  const {
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: username,
    KAFKA_SASL_PASSWORD: password,
  } = env;
  return {
    ssl: env.KAFKA_SSL,
    ...(env.KAFKA_SSL_CA ? { caFile: env.KAFKA_SSL_CA } : {}),
    ...(mechanism && username && password ? { sasl: { mechanism, username, password } } : {}),
  };
}

/**
 * The kafkajs client options for `security`: `ssl` (true, or the CA read from
 * its file; Node verifies the brokers' certificates and names either way) and
 * `sasl`. Nothing when there is no security: a plaintext listener.
 */
export function kafkaClientSecurity(
  security: KafkaSecurity | undefined,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  if (!security) return {};
  const options: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (security.ssl) options.ssl = security.caFile ? { ca: [readFile(security.caFile)] } : true;
  // kafkajs types SASL options per mechanism; every mechanism here takes a username and a password.
  if (security.sasl) options.sasl = { ...security.sasl } as SASLOptions;
  return options;
}
