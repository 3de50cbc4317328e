import { describe, expect, it } from '@jest/globals';
import { influxTlsEnvProblems } from './influx-tls-env.js';

const readFile = (path: string): string => {
  if (path === '/etc/influx/ca.pem') return '-----BEGIN CERTIFICATE-----\nCA\n';
  throw new Error(`ENOENT: no such file or directory, open '${path}'`);
};

describe('InfluxDB TLS settings at boot', () => {
  it('accepts https with or without a CA, and http without one', () => {
    expect(
      influxTlsEnvProblems(
        { INFLUX_URL: 'https://influx:8086', INFLUX_SSL_CA: '/etc/influx/ca.pem' },
        readFile,
      ),
    ).toEqual([]);
    expect(influxTlsEnvProblems({ INFLUX_URL: 'https://influx:8086' }, readFile)).toEqual([]);
    expect(influxTlsEnvProblems({ INFLUX_URL: 'http://127.0.0.1:8086' }, readFile)).toEqual([]);
  });

  it('refuses a CA for a plain http URL, and a CA file that cannot be read', () => {
    expect(
      influxTlsEnvProblems(
        { INFLUX_URL: 'http://influx:8086', INFLUX_SSL_CA: '/etc/influx/ca.pem' },
        readFile,
      ),
    ).toEqual(['INFLUX_URL="http://influx:8086" (must be https:// when INFLUX_SSL_CA is set)']);
    expect(
      influxTlsEnvProblems({ INFLUX_URL: 'https://influx:8086', INFLUX_SSL_CA: '/nope.pem' }, readFile),
    ).toEqual([
      `INFLUX_SSL_CA="/nope.pem" (cannot read it: ENOENT: no such file or directory, open '/nope.pem')`,
    ]);
  });
});
