import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type ColdchainConfig } from '@coldchain/config';
import { readDemoCredentials, type DemoCredentials } from '@coldchain/metadata-store';
import { MqttBrokerService } from '../../apps/gateway/src/mqtt-broker.service.js';
import { PlatformModule } from '../../apps/platform/src/platform.module.js';

export interface RunningPlatform {
  app: NestFastifyApplication;
  config: ColdchainConfig;
  mqttUrl: string;
  httpUrl: string;
  creds: DemoCredentials;
  close(): Promise<void>;
}

/**
 * Boots the embedded platform in this process on ephemeral ports and a fresh
 * DATA_DIR, with the demo tenant seeded and the simulated fleet off (tests
 * act as the hubs).
 */
export async function startPlatform(env: Record<string, string> = {}): Promise<RunningPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-it-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    MQTT_PORT: '0',
    SIM_HUBS: '0',
    LOG_LEVEL: 'error',
    METADATA_REFRESH_MS: '200',
    ...env,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    PlatformModule.forRoot(config),
    new FastifyAdapter(),
    {
      logger: ['error'],
    },
  );
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const mqttPort = app.get(MqttBrokerService).ports.mqtt!;
  return {
    app,
    config,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    httpUrl: `http://127.0.0.1:${address.port}`,
    creds: readDemoCredentials(dataDir)!,
    close: () => app.close(),
  };
}
