import { describe, expect, it } from '@jest/globals';
import { kafkaSecurityEnvProblems } from '@coldchain/config';
import { kafkaClientSecurity, kafkaSecurityFromEnv } from './kafka-security.js';

const files: Record<string, string> = { '/etc/kafka/ca.pem': '-----BEGIN CERTIFICATE-----\nCA\n' };
const readFile = (path: string): string => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
  return text;
};

describe('kafkaClientSecurity (env → kafkajs ssl/sasl)', () => {
  it('adds nothing for a plaintext listener without authentication', () => {
    expect(kafkaClientSecurity(undefined)).toEqual({});
    expect(kafkaClientSecurity(kafkaSecurityFromEnv({ KAFKA_SSL: false }), readFile)).toEqual({});
  });

  it('turns TLS on with the system CAs, or with the CA file read', () => {
    expect(kafkaClientSecurity(kafkaSecurityFromEnv({ KAFKA_SSL: true }), readFile)).toEqual({ ssl: true });
    expect(
      kafkaClientSecurity(
        kafkaSecurityFromEnv({ KAFKA_SSL: true, KAFKA_SSL_CA: '/etc/kafka/ca.pem' }),
        readFile,
      ),
    ).toEqual({ ssl: { ca: ['-----BEGIN CERTIFICATE-----\nCA\n'] } });
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)(
    'passes SASL %s with its credentials, over TLS',
    (mechanism) => {
      const env = {
        KAFKA_SSL: true,
        KAFKA_SASL_MECHANISM: mechanism,
        KAFKA_SASL_USERNAME: 'ingest',
        KAFKA_SASL_PASSWORD: 's3cret',
      };
      expect(kafkaClientSecurity(kafkaSecurityFromEnv(env), readFile)).toEqual({
        ssl: true,
        sasl: { mechanism, username: 'ingest', password: 's3cret' },
      });
    },
  );

  it('passes SCRAM without TLS (SASL_PLAINTEXT) when asked to', () => {
    const env = {
      KAFKA_SSL: false,
      KAFKA_SASL_MECHANISM: 'scram-sha-512' as const,
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
    };
    expect(kafkaSecurityEnvProblems(env, readFile)).toEqual([]);
    expect(kafkaClientSecurity(kafkaSecurityFromEnv(env), readFile)).toEqual({
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
    });
  });
});
