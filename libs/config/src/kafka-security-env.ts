import { readFileSync } from 'node:fs';

/** SASL mechanisms the Kafka bus offers (kafkajs supports them without plugins). */
export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** The environment keys of the Kafka bus's security (TLS, SASL), as the config schema validated them one by one. */
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
