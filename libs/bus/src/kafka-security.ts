import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import type { KafkaSaslMechanism, KafkaSecurityEnv } from '@coldchain/config';

/** How the bus protects its connections to Kafka and authenticates. */
export interface KafkaSecurity {
  /** TLS to the brokers (their SSL or SASL_SSL listener), the brokers' certificates verified. */
  ssl: boolean;
  /** PEM file of the CA(s) that signed the brokers' certificates; unset = Node's default CAs. */
  caFile?: string;
  sasl?: { mechanism: KafkaSaslMechanism; username: string; password: string };
}

/** {@link KafkaSecurity} from validated environment keys (checked at boot by @coldchain/config's kafkaSecurityEnvProblems). */
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
