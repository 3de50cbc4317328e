import { Logger } from '@nestjs/common';
import type { ColdchainConfig } from '@coldchain/config';
import type { MetadataDatabase, MetadataStoreModuleOptions } from '@coldchain/metadata-store';
import type { RoutingFile } from '@coldchain/notifications';
import {
  DEMO_TENANT,
  demoCredentialsPath,
  readDemoCredentials,
  seedDemoTenant,
  writeDemoCredentials,
  type DemoSeedRepositories,
} from './demo-tenant.js';

/** Hubs the demo tenant gets at the least, so that one can connect a hub of one's own even with SIM_HUBS=0. */
const DEMO_MIN_HUBS = 3;

/**
 * Seeds the demo tenant into an empty metadata store. Its secrets go to
 * DATA_DIR/demo-credentials.json (0600), never to the log.
 * `mustChangePassword`: the demo owner changes the generated password at
 * first login (any install but the embedded demo run, where README logs in
 * with it). A store that is not empty is left alone.
 */
export async function seedDemo(
  database: Pick<MetadataDatabase, 'withLock'>,
  repos: DemoSeedRepositories,
  config: ColdchainConfig,
  options: { mustChangePassword: boolean },
  logger = new Logger('Demo'),
): Promise<void> {
  // Processes may start on one empty PostgreSQL at once: check-then-seed runs under a lock
  // shared by every process, so one seeds and the others find it done.
  const seeded = await database.withLock('demo-seed', async () => {
    if (!(await repos.tenants.isEmpty())) return undefined;
    const creds = await seedDemoTenant(repos, {
      hubs: Math.max(DEMO_MIN_HUBS, config.SIM_HUBS),
      tagsPerHub: config.SIM_TAGS_PER_HUB,
      mustChangePassword: options.mustChangePassword,
    });
    return { creds, file: writeDemoCredentials(config.DATA_DIR, creds) };
  });
  if (seeded)
    logger.log(
      `demo tenant seeded: ${seeded.creds.hubs.length} hubs, ${seeded.creds.tags.length} tags; ` +
        `credentials in ${seeded.file}` +
        (options.mustChangePassword ? ' (the demo owner must change the password at first login)' : ''),
    );
  const user = (seeded?.creds ?? readDemoCredentials(config.DATA_DIR))?.users[0];
  if (user) logger.log(`demo user ${user.email}: password in ${demoCredentialsPath(config.DATA_DIR)}`);
}

/**
 * The metadata store's options in the demo run (SEED_DEMO, on unless set
 * false): the demo tenant seeded once the store has migrated and before the
 * cache loads its first snapshot, so that the simulated fleet's hubs are
 * known when they connect. Its owner keeps the generated password.
 */
export function demoSeeding(config: ColdchainConfig): MetadataStoreModuleOptions {
  return config.SEED_DEMO
    ? { afterStart: (database, repos) => seedDemo(database, repos, config, { mustChangePassword: false }) }
    : {};
}

/**
 * The demo tenant's routing when no NOTIFY_ROUTING_FILE is given: one on-call
 * contact, DEMO_ONCALL_EMAIL (and DEMO_ONCALL_PHONE when set), so that an
 * alert of the demo fleet reaches the outbox.
 */
export function demoRouting(config: ColdchainConfig): RoutingFile {
  return {
    tenants: {
      [DEMO_TENANT.id]: {
        contacts: [
          {
            id: 'oncall',
            name: 'On-call',
            email: config.DEMO_ONCALL_EMAIL,
            ...(config.DEMO_ONCALL_PHONE ? { phone: config.DEMO_ONCALL_PHONE } : {}),
            timeZone: 'UTC',
          },
        ],
        defaultContacts: ['oncall'],
      },
    },
  };
}
