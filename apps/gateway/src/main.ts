import { bootstrapApp, configOrExit, runMain } from '@coldchain/runtime';
import { gatewayModules } from './gateway.composition.js';

/** The MQTT edge as its own process (production stack). */
runMain(() => {
  const config = configOrExit();
  return bootstrapApp('Gateway', gatewayModules(config), config);
});
