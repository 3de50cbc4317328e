import { afterEach, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUS } from '@coldchain/bus';
import { loadConfig } from '@coldchain/config';
import { METADATA_CACHE } from '@coldchain/metadata-store';
import { bootstrapApp, EngineShutdown } from '@coldchain/runtime';
import { TELEMETRY_STORE } from '@coldchain/telemetry-store';
import { gatewayModules } from './gateway.composition.js';

describe('the gateway process opens only the engines it uses', () => {
  let app: NestFastifyApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('opens the bus and the metadata store (hub credentials), never the telemetry store', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-gateway-composition-'));
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', MQTT_PORT: '0', LOG_LEVEL: 'error' });
    app = await bootstrapApp('Gateway', gatewayModules(config), config, { handleSignals: false });

    expect(app.get(BUS, { strict: false })).toBeDefined();
    expect(app.get(METADATA_CACHE, { strict: false })).toBeDefined();
    expect(() => app!.get<unknown>(TELEMETRY_STORE, { strict: false })).toThrow();
    expect(app.get(EngineShutdown).opened()).toEqual(['bus', 'metadata-store']);
    expect(existsSync(join(dataDir, 'telemetry.db'))).toBe(false);
  });
});
