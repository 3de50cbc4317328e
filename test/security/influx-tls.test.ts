import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InfluxTelemetryStore } from '@coldchain/telemetry-store';
import { makeTestPki, type TestPki } from '../support/test-pki.js';

/**
 * The InfluxDB telemetry store over https with a private CA (INFLUX_URL
 * https://…, INFLUX_SSL_CA): an https stand-in for InfluxDB's /ping and v2
 * write path, with a certificate signed by a CA made here by openssl. Both
 * of the store's connection pools (writes, queries) must trust that CA, and
 * only that CA given: without it, the certificate is refused.
 */

const work = mkdtempSync(join(tmpdir(), 'cc-influx-tls-'));
let pki: TestPki;
let server: Server;
let url: string;
const writes: string[] = [];
const stores: InfluxTelemetryStore[] = [];

function store(ca?: string): InfluxTelemetryStore {
  const s = new InfluxTelemetryStore({
    url,
    token: 't',
    org: 'o',
    bucket: 'coldchain',
    positionsBucket: 'positions',
    measurement: 'tls_test',
    requestTimeoutMs: 5000,
    ...(ca === undefined ? {} : { ca }),
  });
  stores.push(s);
  return s;
}

beforeAll(async () => {
  pki = makeTestPki(work);
  server = createServer({ key: readFileSync(pki.key), cert: readFileSync(pki.cert) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url?.startsWith('/api/v2/write')) {
        const body = Buffer.concat(chunks);
        writes.push((req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString());
      }
      res.writeHead(req.url === '/ping' || req.url?.startsWith('/api/v2/write') ? 204 : 404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await Promise.all(stores.map((s) => s.close().catch(() => undefined)));
  await new Promise((resolve) => server?.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

describe('InfluxDB telemetry store over https', () => {
  it('pings and writes over TLS when given the CA that signed the server certificate', async () => {
    const s = store(readFileSync(pki.ca, 'utf8'));
    await s.ping();
    expect(s.isHealthy()).toBe(true);
    await s.write(
      [
        {
          tenantId: 'demo',
          tag: 'AA:BB:CC:DD:EE:01',
          hub: '490154203237518',
          ts: 1_765_000_000_000,
          temperature: 4.5,
          receivedAt: 1_765_000_000_100,
        },
      ],
      [],
    );
    expect(writes.join('\n')).toContain('tls_test');
  });

  it('refuses the server certificate without that CA, saying why', async () => {
    const s = store();
    await expect(s.ping()).rejects.toThrow(/certificate/);
    expect(s.isHealthy()).toBe(false);
  });
});
