import {
  Inject,
  Injectable,
  Logger,
  Module,
  Optional,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { BUS, BusModule, type BusPort } from '@coldchain/bus';
import { ConfigModule, checkSecretFiles, tightenDataDir, type ColdchainConfig } from '@coldchain/config';
import { systemClock, type Clock } from '@coldchain/domain';
import {
  METADATA_CACHE,
  METADATA_DATABASE,
  MetadataStoreModule,
  demoCredentialsPath,
  readDemoCredentials,
  seedDemoTenant,
  writeDemoCredentials,
  type MetadataCache,
  type DemoSeedRepositories,
  type MetadataDatabase,
} from '@coldchain/metadata-store';
import { ObservabilityModule } from '@coldchain/observability';
import { TELEMETRY_STORE, TelemetryStoreModule, type TelemetryStorePort } from '@coldchain/telemetry-store';

/** Hubs the demo tenant gets at the least, so that one can connect a hub of one's own even with SIM_HUBS=0. */
const DEMO_MIN_HUBS = 3;

/**
 * Seeds the demo tenant into an empty metadata store (SEED_DEMO). Its secrets
 * go to DATA_DIR/demo-credentials.json (0600), never to the log. Outside the
 * explicit demo run (the embedded platform), the demo owner must change the
 * password at first login, as a platform admin must.
 */
async function seedDemo(
  database: Pick<MetadataDatabase, 'withLock'>,
  repos: DemoSeedRepositories,
  config: ColdchainConfig,
  demoRun: boolean,
  logger: Logger,
): Promise<void> {
  // Gateway, ingest and api may start on one empty PostgreSQL at once: check-then-seed runs
  // under a lock shared by every process, so one seeds and the others find it done.
  const seeded = await database.withLock('demo-seed', async () => {
    if (!(await repos.tenants.isEmpty())) return undefined;
    const creds = await seedDemoTenant(repos, {
      hubs: Math.max(DEMO_MIN_HUBS, config.SIM_HUBS),
      tagsPerHub: config.SIM_TAGS_PER_HUB,
      mustChangePassword: !demoRun,
    });
    return { creds, file: writeDemoCredentials(config.DATA_DIR, creds) };
  });
  if (seeded)
    logger.log(
      `demo tenant seeded: ${seeded.creds.hubs.length} hubs, ${seeded.creds.tags.length} tags; ` +
        `credentials in ${seeded.file}` +
        (demoRun ? '' : ' (the demo owner must change the password at first login)'),
    );
  const user = (seeded?.creds ?? readDemoCredentials(config.DATA_DIR))?.users[0];
  if (user) logger.log(`demo user ${user.email}: password in ${demoCredentialsPath(config.DATA_DIR)}`);
}

/**
 * Closes the engines the app opened, after every app has stopped its edges:
 * Nest runs `onApplicationShutdown` last, once the MQTT listeners
 * (onModuleDestroy) and the HTTP server are closed. The bus drains first
 * (consumers still write), then the stores close. An engine the app did not
 * import is absent and skipped.
 */
@Injectable()
export class EngineShutdown implements OnApplicationShutdown {
  private readonly logger = new Logger('Core');
  constructor(
    @Optional() @Inject(BUS) private readonly bus?: BusPort,
    @Optional() @Inject(METADATA_CACHE) private readonly cache?: MetadataCache,
    @Optional() @Inject(TELEMETRY_STORE) private readonly telemetry?: TelemetryStorePort,
    @Optional() @Inject(METADATA_DATABASE) private readonly metadata?: MetadataDatabase,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.bus?.close();
    this.cache?.stop();
    await this.telemetry?.close();
    await this.metadata?.close();
    this.logger.log('engines closed');
  }
}

/**
 * The configuration, the clock, observability and every engine the
 * configuration names, each from its lib's module, started in dependency
 * order. DATA_DIR is made private (0700, its files 0600) and its key files
 * checked before any store opens a file in it.
 * `demoRun` marks the embedded quick start: the demo owner it seeds keeps the
 * generated password (README logs in with it); any other app's must change it.
 */
@Module({})
export class CoreModule {
  static forRoot(config: ColdchainConfig, clock: Clock = systemClock, demoRun = false): DynamicModule {
    const logger = new Logger('Core');
    const tightened = tightenDataDir(config.DATA_DIR);
    checkSecretFiles(config); // a short key file stops the boot before a store opens or the demo is seeded
    if (tightened.length > 0)
      logger.warn(
        `DATA_DIR made private: ${tightened.join(', ')} set to 0600 (files) / 0700 (folder); ` +
          'other users could read or enter them',
      );
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot(config, clock),
        ObservabilityModule,
        MetadataStoreModule.forRoot(config, {
          afterStart: async (database, repos) => {
            if (config.SEED_DEMO) await seedDemo(database, repos, config, demoRun, logger);
          },
        }),
        TelemetryStoreModule.forRoot(config),
        BusModule.forRoot(config),
      ],
      providers: [EngineShutdown],
    };
  }
}
