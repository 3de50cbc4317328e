import { bootstrapApp, configOrExit, runMain } from '@coldchain/runtime';
import { apiModules } from './api.composition.js';

/** The HTTP API as its own process (production stack). */
runMain(() => {
  const config = configOrExit();
  return bootstrapApp('Api', apiModules(config), config);
});
