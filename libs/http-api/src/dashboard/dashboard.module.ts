import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ColdchainConfig, CONFIG } from '@coldchain/config';
import { escapeHtml } from '@coldchain/notifications';
import { inlineStyleCsp, overrideCsp } from '@coldchain/runtime';

/**
 * Paths the dashboard never answers: the API, its documentation, the ops
 * endpoints and the emailed acknowledgement page. An unknown path under them
 * gets the API's own 404, not the dashboard's index page.
 */
export const RESERVED_PREFIXES = ['/api', '/docs', '/health', '/metrics', '/ack', '/assets'];

const isReserved = (path: string): boolean =>
  RESERVED_PREFIXES.some((p) => path === p || path.startsWith(p + '/') || path.startsWith(p + '?'));

/** A client route of the single-page app: not reserved, and not a file name (`/favicon.ico`). */
export const isClientRoute = (path: string): boolean => {
  const pathname = path.split('?')[0];
  return !isReserved(pathname) && !/\.[A-Za-z0-9]+$/.test(pathname);
};

/**
 * The built dashboard (`npm run build:dashboard` → `dist/dashboard`), found
 * from the repository root so that the compiled API (dist/apps/api/...) and
 * the sources run by the tests find the same folder.
 */
export function dashboardDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      const built = join(dir, 'dist', 'dashboard');
      return existsSync(join(built, 'index.html')) ? built : undefined;
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** index.html with the run-time settings the dashboard reads from `<meta>` tags (no build per environment). */
export function renderIndex(html: string, config: Pick<ColdchainConfig, 'DASHBOARD_TILE_URL'>): string {
  const meta = `<meta name="coldchain-tile-url" content="${escapeHtml(config.DASHBOARD_TILE_URL ?? '')}">`;
  return html.replace('</head>', `${meta}</head>`);
}

/**
 * Serves the operator dashboard from the API app: hashed assets under
 * `/assets/` (cached for a year, their names change with their content), and
 * index.html at `/` and at every client route (SPA fallback), never cached.
 * Nothing is served when the dashboard was not built (a warning says so).
 * Every answer has the app's strict CSP (libs/runtime http-security); the
 * emailed acknowledgement page (`/ack`, alert-ack.controller.ts), rendered by
 * the server and styled inline, gets inline styles allowed and nothing more.
 */
@Module({})
export class DashboardModule {
  static async configureApp(app: NestFastifyApplication): Promise<void> {
    const logger = new Logger('Dashboard');
    overrideCsp(app, '/ack', inlineStyleCsp(app.get<ColdchainConfig>(CONFIG)));
    const dir = dashboardDir();
    if (!dir) {
      logger.warn('dist/dashboard/index.html not found: run `npm run build:dashboard`; no dashboard at /');
      return;
    }
    const index = renderIndex(
      readFileSync(join(dir, 'index.html'), 'utf8'),
      app.get<ColdchainConfig>(CONFIG),
    );
    await app.register(fastifyStatic, {
      root: join(dir, 'assets'),
      prefix: '/assets/',
      decorateReply: false, // the OpenAPI UI registers its own instance
      immutable: true,
      maxAge: 365 * 24 * 3600 * 1000,
    });
    const sendIndex = (req: FastifyRequest, reply: FastifyReply) => {
      // Fastify's 404 handler is Nest's: the API's JSON 404 for unknown API paths.
      if (!isClientRoute(req.url)) return reply.callNotFound();
      return reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(index);
    };
    const fastify = app.getHttpAdapter().getInstance();
    // find-my-way matches static routes before wildcards: `/*` never shadows an API route.
    fastify.get('/', sendIndex);
    fastify.get('/*', sendIndex);
    logger.log(`dashboard at / from ${dir}`);
  }
}
