import { bootstrapApp, configOrExit, runMain } from '@coldchain/runtime';
import { ingestModules } from './ingest.composition.js';

/** The bus consumer as its own process (production stack); run N of them to split the partitions. */
runMain(() => {
  const config = configOrExit();
  return bootstrapApp('Ingest', ingestModules(config), config);
});
