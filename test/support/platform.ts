import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig, type ColdchainConfig } from '@coldchain/config';
import type { Clock } from '@coldchain/domain';
import { readDemoCredentials, type DemoCredentials } from '../../apps/platform/src/demo-tenant.js';
import { bootstrapApp } from '@coldchain/runtime';
import { MqttBrokerService } from '@coldchain/edge';
import { platformModules } from '../../apps/platform/src/platform.composition.js';

export interface RunningPlatform {
  app: NestFastifyApplication;
  config: ColdchainConfig;
  mqttUrl: string;
  httpUrl: string;
  creds: DemoCredentials;
  close(): Promise<void>;
}

/**
 * Boots every app of the pipeline in this process, as the embedded platform
 * (the demo run) does, on ephemeral ports and a fresh DATA_DIR, with the demo
 * tenant seeded and no simulated fleet (tests act
 * as the hubs). `env` selects engines (BUS=kafka, ...) like the real apps;
 * `clock` replaces the system clock of every app (tests drive time by hand).
 */
export async function startPlatform(
  env: Record<string, string> = {},
  options: { clock?: Clock } = {},
): Promise<RunningPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-it-'));
  const config = loadConfig(
    {
      DATA_DIR: dataDir,
      PORT: '0',
      MQTT_PORT: '0',
      SIM_HUBS: '0',
      LOG_LEVEL: 'error',
      METADATA_REFRESH_MS: '200',
      ...env,
    },
    // The embedded platform's own default (apps/platform): the demo tenant, seeded unless `env` says otherwise.
    { SEED_DEMO: 'true' },
  );
  // The embedded platform's own composition, a demo run like `npm start`: tests log in as the
  // demo owner with the seeded password. SIM_HUBS=0 keeps the simulated fleet off.
  const app = await bootstrapApp('Platform', platformModules(config, options.clock), config, {
    handleSignals: false,
  });
  const address = app.getHttpServer().address() as { port: number };
  const mqttPort = config.GATEWAY_MODE === 'embedded' ? app.get(MqttBrokerService).ports.mqtt! : 0;
  return {
    app,
    config,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    httpUrl: `http://127.0.0.1:${address.port}`,
    creds: readDemoCredentials(config.DATA_DIR)!, // env may name its own DATA_DIR (restart tests)
    close: () => app.close(),
  };
}
