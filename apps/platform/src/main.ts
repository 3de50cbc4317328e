import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeOnSignals, configOrExit, logLevels } from '@coldchain/runtime';
import { MqttBrokerService } from '../../gateway/src/mqtt-broker.service.js';
import { DemoFleetService } from './demo-fleet.service.js';
import { PlatformModule } from './platform.module.js';

/** Largest HTTP request body accepted, bytes. */
const HTTP_BODY_LIMIT_BYTES = 1024 * 1024; // 1 MiB

async function main(): Promise<void> {
  const started = performance.now();
  const config = configOrExit();
  const app = await NestFactory.create<NestFastifyApplication>(
    PlatformModule.forRoot(config),
    new FastifyAdapter({ bodyLimit: HTTP_BODY_LIMIT_BYTES }),
    { logger: logLevels(config), abortOnError: false },
  );
  closeOnSignals(app, config, 'Platform');
  await app.listen(config.PORT, config.BIND_HOST);
  const mqttPort = app.get(MqttBrokerService).ports.mqtt!;
  await app.get(DemoFleetService).start(mqttPort);
  const logger = new Logger('Platform');
  const address = `http://${config.BIND_HOST}:${config.PORT}`;
  logger.log(
    `ready in ${Math.round(performance.now() - started)} ms: HTTP ${address} (/health, /metrics, /api/v1), ` +
      `MQTT ${config.BIND_HOST}:${mqttPort}, data in ${config.DATA_DIR}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
