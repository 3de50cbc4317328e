import { describe, expect, it } from '@jest/globals';
import { kafkaSecurityEnvProblems } from './kafka-security-env.js';

const files: Record<string, string> = { '/etc/kafka/ca.pem': '-----BEGIN CERTIFICATE-----\nCA\n' };
const readFile = (path: string): string => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
  return text;
};

describe('kafkaSecurityEnvProblems (checked at boot)', () => {
  it('accepts no security at all, and a complete setting', () => {
    expect(kafkaSecurityEnvProblems({ KAFKA_SSL: false }, readFile)).toEqual([]);
    expect(
      kafkaSecurityEnvProblems(
        {
          KAFKA_SSL: true,
          KAFKA_SSL_CA: '/etc/kafka/ca.pem',
          KAFKA_SASL_MECHANISM: 'plain',
          KAFKA_SASL_USERNAME: 'u',
          KAFKA_SASL_PASSWORD: 'p',
        },
        readFile,
      ),
    ).toEqual([]);
  });

  it('refuses a mechanism without credentials, naming each missing key', () => {
    expect(
      kafkaSecurityEnvProblems({ KAFKA_SSL: true, KAFKA_SASL_MECHANISM: 'scram-sha-256' }, readFile),
    ).toEqual([
      'KAFKA_SASL_USERNAME="" (required when KAFKA_SASL_MECHANISM is set)',
      'KAFKA_SASL_PASSWORD="" (required when KAFKA_SASL_MECHANISM is set)',
    ]);
  });

  it('refuses credentials without a mechanism, and never shows the password', () => {
    const problems = kafkaSecurityEnvProblems(
      { KAFKA_SSL: true, KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'hunter2' },
      readFile,
    );
    expect(problems).toEqual([expect.stringMatching(/^KAFKA_SASL_MECHANISM="" \(required when/)]);
    expect(problems.join()).not.toContain('hunter2');
  });

  it('refuses plain without TLS: it would send the password as is', () => {
    expect(
      kafkaSecurityEnvProblems(
        {
          KAFKA_SSL: false,
          KAFKA_SASL_MECHANISM: 'plain',
          KAFKA_SASL_USERNAME: 'u',
          KAFKA_SASL_PASSWORD: 'p',
        },
        readFile,
      ),
    ).toEqual([expect.stringMatching(/^KAFKA_SSL="false" \(must be true with KAFKA_SASL_MECHANISM=plain/)]);
  });

  it('refuses a CA without TLS, and a CA file that cannot be read', () => {
    expect(
      kafkaSecurityEnvProblems({ KAFKA_SSL: false, KAFKA_SSL_CA: '/etc/kafka/ca.pem' }, readFile),
    ).toEqual(['KAFKA_SSL="false" (must be true when KAFKA_SSL_CA is set)']);
    expect(kafkaSecurityEnvProblems({ KAFKA_SSL: true, KAFKA_SSL_CA: '/nope.pem' }, readFile)).toEqual([
      `KAFKA_SSL_CA="/nope.pem" (cannot read it: ENOENT: no such file or directory, open '/nope.pem')`,
    ]);
  });
});
