import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@coldchain/config';
import { appCsp, httpsOptionsOf, serializeCsp, tileImageSource } from './http-security.js';

describe('tileImageSource', () => {
  it.each([
    ['https://tile.example.org/{z}/{x}/{y}.png', 'https://tile.example.org'],
    ['https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png', 'https://*.tile.openstreetmap.org'],
    ['HTTP://127.0.0.1:8080/tiles/{z}/{x}/{y}.png?key=abc', 'http://127.0.0.1:8080'],
  ])('allows the scheme and host of %s', (url, source) => {
    expect(tileImageSource(url)).toBe(source);
  });

  it.each([
    [undefined],
    ['/tiles/{z}/{x}/{y}.png'],
    ['ftp://tiles.example.org/{z}.png'],
    ["https://tiles.example.org;script-src 'unsafe-inline'/x.png"],
    ['https://tiles.example.org data: *'],
    ['https://a.{s}.example.org/{z}.png'],
    ['https://user:pass@tiles.example.org/{z}.png'],
  ])('gives no source for %s (relative, other scheme, or not a plain host)', (url) => {
    expect(tileImageSource(url)).toBeUndefined();
  });
});

describe('appCsp', () => {
  it('allows scripts and styles from the origin only, images also from data: and the tile host', () => {
    const policy = serializeCsp(
      appCsp({
        DASHBOARD_TILE_URL: 'https://{s}.tile.example.org/{z}/{x}/{y}.png',
        HTTP_TLS_CERT: undefined,
      }),
    );
    expect(policy).toBe(
      "default-src 'self'; base-uri 'self'; script-src 'self'; script-src-attr 'none'; style-src 'self'; " +
        "img-src 'self' data: https://*.tile.example.org; connect-src 'self'; font-src 'self'; " +
        "object-src 'none'; frame-ancestors 'none'; form-action 'self'",
    );
  });

  it('upgrades sub-resource requests only when serving HTTPS', () => {
    expect(appCsp({ DASHBOARD_TILE_URL: undefined, HTTP_TLS_CERT: '/etc/api.pem' })).toHaveProperty(
      'upgrade-insecure-requests',
      [],
    );
    expect(appCsp({ DASHBOARD_TILE_URL: undefined, HTTP_TLS_CERT: undefined })).not.toHaveProperty(
      'upgrade-insecure-requests',
    );
  });
});

describe('httpsOptionsOf', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-https-spec-'));
  writeFileSync(join(dir, 'junk.pem'), 'junk');

  it('is plain HTTP when neither key is set', () => {
    expect(httpsOptionsOf({ HTTP_TLS_CERT: undefined, HTTP_TLS_KEY: undefined })).toBeUndefined();
  });

  it('names the missing half', () => {
    expect(() => httpsOptionsOf({ HTTP_TLS_CERT: '/x.pem', HTTP_TLS_KEY: undefined })).toThrow(
      /^Invalid environment variables: HTTP_TLS_KEY="" \(required with HTTP_TLS_CERT/,
    );
    expect(() => httpsOptionsOf({ HTTP_TLS_CERT: undefined, HTTP_TLS_KEY: '/x.key' })).toThrow(ConfigError);
  });

  it('names every unreadable file, then a pair that is not a certificate and key', () => {
    expect(() =>
      httpsOptionsOf({ HTTP_TLS_CERT: join(dir, 'none.pem'), HTTP_TLS_KEY: join(dir, 'none.key') }),
    ).toThrow(/HTTP_TLS_CERT=".*none\.pem" \(cannot read.*HTTP_TLS_KEY=".*none\.key" \(cannot read/);
    expect(() =>
      httpsOptionsOf({ HTTP_TLS_CERT: join(dir, 'junk.pem'), HTTP_TLS_KEY: join(dir, 'junk.pem') }),
    ).toThrow(/expected a PEM certificate and its private key/);
  });
});
