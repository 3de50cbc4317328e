import { bootstrapApp, configOrExit, runMain } from '@coldchain/runtime';
import { GatewayModule } from '@coldchain/edge';

/** The MQTT edge as its own process (production stack). */
runMain(() => {
  const config = configOrExit();
  return bootstrapApp('Gateway', [GatewayModule.forConfig(config)], config);
});
