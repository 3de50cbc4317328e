import { afterEach, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUS } from '@coldchain/bus';
import { loadConfig } from '@coldchain/config';
import { METADATA_DATABASE } from '@coldchain/metadata-store';
import { bootstrapApp, EngineShutdown } from '@coldchain/runtime';
import { TELEMETRY_STORE } from '@coldchain/telemetry-store';
import { notifierModules } from './notifier.composition.js';

describe('the notifier process opens only the engines it uses', () => {
  let app: NestFastifyApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('opens the bus and the metadata store, never the telemetry store', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-notifier-composition-'));
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'error' });
    app = await bootstrapApp('Notifier', notifierModules(config), config, { handleSignals: false });

    expect(app.get(BUS, { strict: false })).toBeDefined();
    expect(app.get(METADATA_DATABASE, { strict: false })).toBeDefined();
    expect(() => app!.get<unknown>(TELEMETRY_STORE, { strict: false })).toThrow();
    expect(app.get(EngineShutdown).opened()).toEqual(['bus', 'metadata-store']);
    expect(existsSync(join(dataDir, 'metadata.db'))).toBe(true);
    expect(existsSync(join(dataDir, 'telemetry.db'))).toBe(false);
    const { port } = app.getHttpServer().address() as { port: number };
    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as {
      components: Record<string, string>;
    };
    expect(Object.keys(health.components)).not.toContain('telemetry-store');
  });
});
