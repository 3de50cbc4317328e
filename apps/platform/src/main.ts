import { MqttBrokerService } from '@coldchain/edge';
import { bootstrapApp, configOrExit, runMain } from '@coldchain/runtime';
import { DemoFleetService } from './demo-fleet.service.js';
import { platformModules } from './platform.composition.js';

/**
 * The embedded platform is the explicit demo run (README's quick start): it
 * seeds the demo tenant unless SEED_DEMO is set, and its demo owner logs in
 * with the password from DATA_DIR/demo-credentials.json without changing it.
 * The separate apps of the production stack never seed; `seed-demo.js` seeds
 * their store on request, and its demo owner must change the password.
 */
const DEMO_RUN_DEFAULTS = { SEED_DEMO: 'true' } as const;

/**
 * The embedded default (`npm start`): every hop of the pipeline in one
 * process, on the in-process bus and the embedded stores unless configured
 * otherwise, plus the simulated demo fleet once the edge is up.
 */
runMain(async () => {
  const config = configOrExit(DEMO_RUN_DEFAULTS);
  const app = await bootstrapApp('Platform', platformModules(config), config);
  const host = config.BIND_HOST === '0.0.0.0' ? '127.0.0.1' : config.BIND_HOST;
  const brokerUrl =
    config.GATEWAY_MODE === 'embedded'
      ? `mqtt://${host}:${app.get(MqttBrokerService).ports.mqtt}`
      : config.MQTT_EXTERNAL_URL;
  await app.get(DemoFleetService).start(brokerUrl);
});
