import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from '@fastify/helmet';
import { ConfigError, type ColdchainConfig } from '@coldchain/config';

/**
 * HSTS lifetime sent when the API serves HTTPS itself, seconds (one year, the
 * value browsers' preload lists ask for; subdomains are not included: the
 * platform does not own its parent domain).
 */
export const HSTS_MAX_AGE_SECONDS = 365 * 24 * 3600; // 1 year

/** CSP directives, name → sources, as helmet takes them. */
export type CspDirectives = Record<string, string[]>;

/**
 * The CSP source of the dashboard's map tiles (DASHBOARD_TILE_URL, a Leaflet
 * template such as `https://{s}.tile.example.org/{z}/{x}/{y}.png`): its
 * scheme and host, a `{s}` subdomain placeholder becoming `*.`. A relative
 * template needs nothing beyond 'self'. Anything that is not a plain host
 * (quotes, spaces, `;`, a placeholder elsewhere) gives no source, so a
 * template can never widen the policy beyond its own host.
 */
export function tileImageSource(tileUrl: string | undefined): string | undefined {
  const m = /^(https?):\/\/([^/?#]+)/i.exec(tileUrl?.trim() ?? '');
  if (!m) return undefined;
  const scheme = m[1].toLowerCase();
  const host = m[2].replace(/^\{[a-z]+\}\./i, '*.');
  return /^(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host) ? `${scheme}://${host}` : undefined;
}

/**
 * The policy of every answer, the dashboard's included: scripts, styles,
 * fonts and fetches from the origin only (Vite emits one module script and one
 * stylesheet, no inline code; Leaflet and uPlot style elements through CSSOM,
 * which CSP does not govern), images from the origin, `data:` (Leaflet's
 * icons, inlined by Vite) and the tile server; no plugins, no framing, no
 * inline event handlers. Over TLS (HTTP_TLS_CERT, checked at boot by
 * {@link httpsOptionsOf}), sub-resource requests are upgraded.
 */
export function appCsp(config: Pick<ColdchainConfig, 'DASHBOARD_TILE_URL' | 'HTTP_TLS_CERT'>): CspDirectives {
  const tls = config.HTTP_TLS_CERT !== undefined;
  const tiles = tileImageSource(config.DASHBOARD_TILE_URL);
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', ...(tiles ? [tiles] : [])],
    'connect-src': ["'self'"],
    'font-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
    ...(tls ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/** `name src src; name src` (CSP Level 3 §2.2 serialized policy). */
export function serializeCsp(directives: CspDirectives): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/**
 * Security headers on every answer of the app (helmet): the CSP above,
 * `X-Frame-Options: DENY`, `nosniff`, `Referrer-Policy: strict-origin` (tile
 * servers such as OpenStreetMap's want a referrer; only the origin is sent,
 * never a path or query, and nothing over plain HTTP), and HSTS only when the
 * app serves HTTPS itself: over plain HTTP a browser ignores it and a proxy in
 * front sets its own.
 */
export async function registerSecurityHeaders(
  app: NestFastifyApplication,
  config: Pick<ColdchainConfig, 'DASHBOARD_TILE_URL' | 'HTTP_TLS_CERT'>,
): Promise<void> {
  const tls = config.HTTP_TLS_CERT !== undefined;
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: appCsp(config) },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin' },
    strictTransportSecurity: tls ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: false } : false,
  });
}

/**
 * The app's policy with inline styles allowed (`<style>` and `style=""`), for
 * server-rendered pages that style themselves inline (the OpenAPI UI, the
 * emailed acknowledgement page). Styles cannot run script; scripts stay 'self'.
 */
export function inlineStyleCsp(
  config: Pick<ColdchainConfig, 'DASHBOARD_TILE_URL' | 'HTTP_TLS_CERT'>,
): CspDirectives {
  return { ...appCsp(config), 'style-src': ["'self'", "'unsafe-inline'"] };
}

/**
 * Replaces the CSP of the answers under `prefix` (`/docs`: the path itself, its
 * sub-paths and its query) with `directives`. For server-rendered pages that
 * cannot live under the dashboard's policy; call it before the routes are
 * added and keep script sources as strict as the app's.
 */
export function overrideCsp(app: NestFastifyApplication, prefix: string, directives: CspDirectives): void {
  const header = serializeCsp(directives);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (req, reply, done) => {
      const path = req.url.split('?')[0];
      if (path === prefix || path.startsWith(`${prefix}/`))
        reply.raw.setHeader('Content-Security-Policy', header);
      done();
    });
}

/**
 * The API's own HTTPS certificate and key (HTTP_TLS_CERT, HTTP_TLS_KEY: PEM
 * file paths, both or neither), read and checked once at boot: undefined
 * when neither is set (plain HTTP). Throws a {@link ConfigError} naming the
 * key when only one is set, a file cannot be read, or the two do not make a
 * certificate with its private key.
 */
export function httpsOptionsOf(
  config: Pick<ColdchainConfig, 'HTTP_TLS_CERT' | 'HTTP_TLS_KEY'>,
): { cert: Buffer; key: Buffer } | undefined {
  const { HTTP_TLS_CERT: certPath, HTTP_TLS_KEY: keyPath } = config;
  if (certPath === undefined && keyPath === undefined) return undefined;
  if (certPath === undefined || keyPath === undefined) {
    const missing = certPath === undefined ? 'HTTP_TLS_CERT' : 'HTTP_TLS_KEY';
    const other = certPath === undefined ? 'HTTP_TLS_KEY' : 'HTTP_TLS_CERT';
    throw new ConfigError([`${missing}="" (required with ${other}: set both PEM paths or neither)`]);
  }
  const problems: string[] = [];
  const read = (key: string, path: string): Buffer | undefined => {
    try {
      return readFileSync(path);
    } catch (err) {
      problems.push(`${key}=${JSON.stringify(path)} (cannot read: ${(err as Error).message})`);
      return undefined;
    }
  };
  const cert = read('HTTP_TLS_CERT', certPath);
  const key = read('HTTP_TLS_KEY', keyPath);
  if (cert && key) {
    try {
      createSecureContext({ cert, key });
    } catch (err) {
      problems.push(
        `HTTP_TLS_CERT=${JSON.stringify(certPath)}, HTTP_TLS_KEY=${JSON.stringify(keyPath)} ` +
          `(expected a PEM certificate and its private key: ${(err as Error).message})`,
      );
    }
  }
  if (problems.length > 0 || !cert || !key) throw new ConfigError(problems);
  return { cert, key };
}
