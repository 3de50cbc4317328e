import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { writePrivateFile } from '@coldchain/config';
import { createMetadataDatabase, metadataRepositories } from '@coldchain/metadata-store';
import { configOrExit, prepareDataDir, runMain } from '@coldchain/runtime';
import { demoRouting, seedDemo } from './demo-seed.js';

/** File in DATA_DIR with the demo tenant's routing, for a notifier given no NOTIFY_ROUTING_FILE of its own. */
const DEMO_ROUTING_FILE = 'demo-routing.json';

/**
 * Seeds the demo tenant into the metadata store the environment names (the
 * production stack's, before its apps start: `scripts/start-stack.sh` with
 * SEED_DEMO=true), then exits. Outside the embedded demo run the demo owner
 * must change the password at first login. An empty store is migrated first;
 * a store that is not empty is left alone. Writes DATA_DIR/demo-routing.json
 * (the demo tenant's on-call, DEMO_ONCALL_*) for the notifier's
 * NOTIFY_ROUTING_FILE.
 */
runMain(async () => {
  const config = configOrExit();
  prepareDataDir(config);
  const database = createMetadataDatabase(config);
  await database.start();
  try {
    await seedDemo(database, metadataRepositories(database), config, { mustChangePassword: true });
  } finally {
    await database.close();
  }
  const routing = join(config.DATA_DIR, DEMO_ROUTING_FILE);
  writePrivateFile(routing, JSON.stringify(demoRouting(config), null, 2) + '\n');
  new Logger('Demo').log(`demo on-call routing in ${routing} (NOTIFY_ROUTING_FILE)`);
});
