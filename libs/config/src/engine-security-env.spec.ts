import { describe, expect, it } from '@jest/globals';
import { ConfigError } from './config.error.js';
import { loadConfig } from './load-config.js';

describe('Kafka TLS and SASL settings at boot', () => {
  it('reads them, off by default', () => {
    expect(loadConfig({})).toMatchObject({ KAFKA_SSL: false });
    expect(
      loadConfig({
        KAFKA_SSL: 'true',
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'ingest',
        KAFKA_SASL_PASSWORD: 'x',
      }),
    ).toMatchObject({
      KAFKA_SSL: true,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'ingest',
    });
  });

  it('stops the start when a mechanism comes without credentials, or is unknown', () => {
    expect(() => loadConfig({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'plain' })).toThrow(ConfigError);
    expect(() => loadConfig({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'plain' })).toThrow(
      /KAFKA_SASL_USERNAME/,
    );
    expect(() => loadConfig({ KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow(/KAFKA_SASL_MECHANISM="gssapi"/);
  });
});

describe('InfluxDB CA at boot', () => {
  it('stops the start when INFLUX_SSL_CA comes with a plain http INFLUX_URL or cannot be read', () => {
    expect(() => loadConfig({ INFLUX_SSL_CA: '/no/such/ca.pem' })).toThrow(
      /INFLUX_URL="http:\/\/127\.0\.0\.1:8086"/,
    );
    expect(() => loadConfig({ INFLUX_URL: 'https://influx:8086', INFLUX_SSL_CA: '/no/such/ca.pem' })).toThrow(
      /INFLUX_SSL_CA="\/no\/such\/ca\.pem" \(cannot read it/,
    );
  });
});
