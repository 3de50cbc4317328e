import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@coldchain/config';
import type { ColdchainConfig } from '@coldchain/config';
import { bootstrapApp } from '@coldchain/runtime';
import { apiModules } from '../../apps/api/src/api.composition.js';
import { startPlatform, type RunningPlatform } from '../support/platform.js';
import { makeTestPki, type TestPki } from '../support/test-pki.js';

/**
 * The security headers of every HTTP answer (dashboard, API, docs, ack page):
 * a Content-Security-Policy that allows no inline or eval'd script and no
 * framing, nosniff, a referrer policy; HSTS only when the API itself serves
 * HTTPS (HTTP_TLS_CERT / HTTP_TLS_KEY, a self-signed certificate made with
 * the `openssl` CLI here), never over plain HTTP. Bad TLS settings stop the
 * start with an error naming the key.
 */

const TILE_ORIGIN = 'https://tiles.example.org';

let platform: RunningPlatform;
let dir: string;
let pki: TestPki;

/** The CSP as directive → sources. */
function csp(header: string | null): Map<string, string[]> {
  expect(header).toBeTruthy();
  return new Map(
    header!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name, sources] as const),
  );
}

/** What every answer must carry, whatever its route. */
function expectBaseline(headers: Headers, path: string): Map<string, string[]> {
  const policy = csp(headers.get('content-security-policy'));
  const scripts = policy.get('script-src') ?? policy.get('default-src');
  expect([path, scripts]).toEqual([path, expect.any(Array)]);
  for (const forbidden of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:', 'https:'])
    expect([path, 'script-src', scripts]).toEqual([
      path,
      'script-src',
      expect.not.arrayContaining([forbidden]),
    ]);
  expect([path, policy.get('frame-ancestors')]).toEqual([path, ["'none'"]]);
  expect([path, policy.get('object-src')]).toEqual([path, ["'none'"]]);
  expect([path, headers.get('x-frame-options')]).toEqual([path, 'DENY']);
  expect([path, headers.get('x-content-type-options')]).toEqual([path, 'nosniff']);
  expect([path, headers.get('referrer-policy')]).toEqual([
    path,
    expect.stringMatching(/^(no-referrer|strict-origin)$/),
  ]);
  return policy;
}

/** GET over HTTPS trusting `ca` only: status and headers. */
function httpsGet(url: string, ca: Buffer): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca, servername: 'localhost' }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The API process's own composition, booted in this process. */
const bootApi = (config: ColdchainConfig) =>
  bootstrapApp('Api', apiModules(config), config, { handleSignals: false });

const apiConfig = (env: Record<string, string>) =>
  loadConfig({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'cc-sec-')),
    PORT: '0',
    LOG_LEVEL: 'error',
    ...env,
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cc-https-'));
  pki = makeTestPki(dir);
  writeFileSync(join(dir, 'not-a-cert.pem'), 'not a certificate\n');
  platform = await startPlatform({ DASHBOARD_TILE_URL: `${TILE_ORIGIN}/{z}/{x}/{y}.png` });
}, 120_000);

afterAll(async () => {
  await platform?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('HTTP security headers over plain HTTP (embedded platform)', () => {
  it('gives the dashboard a strict CSP that allows its own scripts, styles, data: images and the tile origin', async () => {
    const res = await fetch(`${platform.httpUrl}/tags`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const policy = expectBaseline(res.headers, '/tags');
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'data:', TILE_ORIGIN]);
    expect(policy.get('base-uri')).toEqual(["'self'"]);
    expect(policy.get('form-action')).toEqual(["'self'"]);
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends the same headers on API answers, errors and ops endpoints, and never HSTS', async () => {
    for (const path of [
      '/api/v1/tags',
      '/api/v1/no-such-route',
      '/health',
      '/assets/index.js',
      '/docs/json',
    ]) {
      const res = await fetch(`${platform.httpUrl}${path}`);
      expectBaseline(res.headers, path);
      expect([path, res.headers.get('strict-transport-security')]).toEqual([path, null]);
    }
    const login = await fetch(`${platform.httpUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":"nobody@example.org","password":"wrong"}',
    });
    expect(login.status).toBe(401);
    expectBaseline(login.headers, 'POST /api/v1/auth/login');
  });

  it('relaxes only inline styles for the OpenAPI UI and the emailed ack page, never scripts', async () => {
    const dashboard = csp((await fetch(`${platform.httpUrl}/`)).headers.get('content-security-policy'));
    for (const path of ['/docs', '/ack?token=forged']) {
      const res = await fetch(`${platform.httpUrl}${path}`);
      expect(res.headers.get('content-type')).toContain('text/html');
      const policy = expectBaseline(res.headers, path);
      expect([path, policy.get('style-src')]).toEqual([path, expect.arrayContaining(["'unsafe-inline'"])]);
    }
    // The dashboard's own policy stays strict.
    expect(dashboard.get('style-src')).toEqual(["'self'"]);
  });
});

describe('HTTPS on the API (HTTP_TLS_CERT, HTTP_TLS_KEY)', () => {
  let app: NestFastifyApplication | undefined;

  afterAll(async () => {
    await app?.close();
  });

  it('serves HTTPS with the configured certificate and sends HSTS with the CSP upgrading requests', async () => {
    app = await bootApi(apiConfig({ HTTP_TLS_CERT: pki.cert, HTTP_TLS_KEY: pki.key }));
    const { port } = app.getHttpServer().address() as { port: number };
    const ca = readFileSync(pki.ca);
    for (const path of ['/health', '/api/v1/tags', '/docs']) {
      const res = await httpsGet(`https://localhost:${port}${path}`, ca);
      expect([path, res.status]).toEqual([path, path === '/api/v1/tags' ? 401 : 200]);
      expect([path, res.headers['strict-transport-security']]).toEqual([
        path,
        expect.stringMatching(/^max-age=(\d{8,}|[2-9]\d{7}|1[6-9]\d{6}|15[6-9]\d{5}|155[6-9]\d{4})/),
      ]);
      expect([path, String(res.headers['content-security-policy'])]).toEqual([
        path,
        expect.stringContaining('upgrade-insecure-requests'),
      ]);
    }
    // Plain HTTP to the HTTPS port gets no answer with headers.
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('refuses to start with only one of the two keys, naming the missing one', async () => {
    await expect(bootApi(apiConfig({ HTTP_TLS_CERT: pki.cert }))).rejects.toThrow(/HTTP_TLS_KEY/);
    await expect(bootApi(apiConfig({ HTTP_TLS_KEY: pki.key }))).rejects.toThrow(/HTTP_TLS_CERT/);
  });

  it('refuses to start with a missing file or a file that is not a PEM certificate, naming the key', async () => {
    await expect(
      bootApi(apiConfig({ HTTP_TLS_CERT: join(dir, 'missing.pem'), HTTP_TLS_KEY: pki.key })),
    ).rejects.toThrow(/HTTP_TLS_CERT=.*missing\.pem/);
    await expect(
      bootApi(apiConfig({ HTTP_TLS_CERT: join(dir, 'not-a-cert.pem'), HTTP_TLS_KEY: pki.key })),
    ).rejects.toThrow(/HTTP_TLS_CERT/);
  });
});
