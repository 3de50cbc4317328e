import 'reflect-metadata';
import { Logger, Module, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { connectBusTransport } from '@coldchain/bus';
import { ConfigError, WeakSecretError, type ColdchainConfig } from '@coldchain/config';
import { closeOnSignals, logLevels, prepareDataDir } from './bootstrap.js';
import { EngineShutdown } from './engine-shutdown.js';
import { httpsOptionsOf, registerSecurityHeaders } from './http-security.js';
import { OpsModule } from './ops.controller.js';

/** Largest HTTP request body accepted, bytes. */
export const HTTP_BODY_LIMIT_BYTES = 1024 * 1024; // 1 MiB

/** What every process serves and does whatever it composes: /health, /metrics, and closing its engines last. */
@Module({})
class AppRoot {
  static forRoot(modules: Array<Type | DynamicModule>): DynamicModule {
    return { module: AppRoot, imports: [OpsModule, ...modules], providers: [EngineShutdown] };
  }
}

/**
 * A module class may declare `static configureApp(app)`: run once the app is
 * created and before it listens, for what needs the application itself
 * rather than the DI container (the API mounts its OpenAPI document at /docs).
 */
export interface ConfiguresApp {
  configureApp(app: NestFastifyApplication): void | Promise<void>;
}

const configuresApp = (m: unknown): m is ConfiguresApp =>
  typeof (m as Partial<ConfiguresApp>).configureApp === 'function';

/**
 * Starts one app of the pipeline as its own process from its composition
 * root: `modules` are what the app imports (ConfigModule, ObservabilityModule,
 * the engine modules it uses, its application modules); nothing else is
 * opened. Adds `/health` and `/metrics` on PORT (HTTPS when HTTP_TLS_CERT and
 * HTTP_TLS_KEY name a certificate and its key), security headers on every
 * answer, the engines' shutdown (bus first, then the stores), and a graceful
 * stop on SIGINT/SIGTERM (unless `handleSignals` is false, for tests that boot
 * apps in-process). DATA_DIR is made private and its key files checked before
 * any engine opens. Returns the app once listening.
 */
export async function bootstrapApp(
  name: string,
  modules: Array<Type | DynamicModule>,
  config: ColdchainConfig,
  options: { handleSignals?: boolean } = {},
): Promise<NestFastifyApplication> {
  const started = performance.now();
  // Checked before anything opens: a bad certificate stops the start with nothing to close.
  const https = httpsOptionsOf(config);
  prepareDataDir(config);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppRoot.forRoot(modules),
    new FastifyAdapter({ bodyLimit: HTTP_BODY_LIMIT_BYTES, ...(https ? { https } : {}) }),
    { logger: logLevels(config), abortOnError: false },
  );
  // Before the modules' own routes and hooks, so that every answer carries the headers.
  await registerSecurityHeaders(app, config);
  for (const m of modules) {
    const type = 'module' in m ? m.module : m;
    if (configuresApp(type)) await type.configureApp(app);
  }
  if (options.handleSignals !== false) closeOnSignals(app, config, name);
  // Controllers' bus event handlers (BusEventPattern) consume once every module is initialised:
  // consumers restore their state in onModuleInit before the first event.
  connectBusTransport(app);
  await app.init();
  await app.startAllMicroservices();
  await app.listen(config.PORT, config.BIND_HOST);
  const kinds: Record<string, string> = {
    bus: config.BUS,
    'telemetry-store': config.TELEMETRY_STORE,
    'metadata-store': config.METADATA_STORE,
  };
  const engines = app
    .get(EngineShutdown)
    .opened()
    .map((e) => `${e} ${kinds[e]}`);
  new Logger(name).log(
    `ready in ${Math.round(performance.now() - started)} ms: HTTP ${config.BIND_HOST}:${config.PORT}, ` +
      `engines: ${engines.length > 0 ? engines.join(', ') : 'none'}`,
  );
  return app;
}

/**
 * Runs `main`, printing a fatal error and exiting 1 when it fails; a refused
 * configuration (a bad variable, a short key file, a TLS file) prints its message alone
 * and exits 78 (EX_CONFIG), as {@link configOrExit} does.
 */
export function runMain(main: () => Promise<unknown>): void {
  main().catch((err: unknown) => {
    if (err instanceof ConfigError || err instanceof WeakSecretError) {
      console.error(err.message);
      process.exit(78);
    }
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
}
