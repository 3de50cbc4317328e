import { describe, expect, it } from '@jest/globals';
import { influxCaFromEnv } from './influx-tls.js';

const readFile = (path: string): string => {
  if (path === '/etc/influx/ca.pem') return '-----BEGIN CERTIFICATE-----\nCA\n';
  throw new Error(`ENOENT: no such file or directory, open '${path}'`);
};

describe('InfluxDB TLS settings', () => {
  it('gives the store the CA read from INFLUX_SSL_CA, and nothing without it', () => {
    expect(
      influxCaFromEnv({ INFLUX_URL: 'https://influx:8086', INFLUX_SSL_CA: '/etc/influx/ca.pem' }, readFile),
    ).toEqual({ ca: '-----BEGIN CERTIFICATE-----\nCA\n' });
    expect(influxCaFromEnv({ INFLUX_URL: 'https://influx:8086' }, readFile)).toEqual({});
  });
});
