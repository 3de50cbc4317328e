import { bootstrapApp, runMain } from '@coldchain/runtime';
import { GatewayModule } from './gateway.module.js';

/** The MQTT edge as its own process (production stack). */
runMain(() => bootstrapApp('Gateway', [GatewayModule]));
