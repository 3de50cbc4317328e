import { randomInt, randomUUID } from 'node:crypto';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { imeiFromBody } from '@coldchain/contract';
import { hashHubSecret } from '@coldchain/metadata-store';
import { eventually } from '../support/process.js';
import type { RunningPlatform } from '../support/platform.js';
import { repositoriesOf } from '../support/metadata.js';

/** Registers a hub in a new tenant of the running platform and waits until the broker accepts it. */
export async function seedHubInNewTenant(
  platform: RunningPlatform,
): Promise<{ imei: string; secret: string; tenantId: string }> {
  const store = repositoriesOf(platform.app);
  const tenantId = `other-${randomUUID().slice(0, 8)}`;
  await store.tenants.createTenant({ id: tenantId, name: 'Other tenant' });
  const imei = imeiFromBody(`35693803${String(randomInt(1_000_000)).padStart(6, '0')}`);
  const secret = `secret-${randomUUID()}`;
  await store.hubs.createHub({ imei, tenantId, name: 'Other hub', secretHash: hashHubSecret(secret) });
  // The broker authenticates against the metadata cache, refreshed every METADATA_REFRESH_MS.
  await eventually(
    async () => {
      const c = await connectAsync(platform.mqttUrl, {
        clientId: `khub-${imei}`,
        username: imei,
        password: secret,
        reconnectPeriod: 0,
      });
      await c.endAsync();
      return true;
    },
    10_000,
    `hub ${imei} known to the broker`,
  );
  return { imei, secret, tenantId };
}

/** An mqtt.js hub session with the contract's client id, no reconnection. */
export function hubClient(
  url: string,
  hub: { imei: string; secret: string },
  options: IClientOptions = {},
): Promise<MqttClient> {
  return connectAsync(url, {
    clientId: `khub-${hub.imei}`,
    username: hub.imei,
    password: hub.secret,
    reconnectPeriod: 0,
    ...options,
  });
}

/** One valid telemetry v1 payload with one temperature reading of `tag` at `ts`. */
export function telemetry(imei: string, tag: string, ts: number, seq: number, temperature = 4): string {
  return JSON.stringify({ v: 1, hub: imei, seq, sentAt: ts, readings: [{ tag, ts, temperature }] });
}

/** A raw TCP socket to 127.0.0.1:`port` that resolves once connected. */
export function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = tcpConnect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

/** Resolves once `socket` is closed (by either side). */
export function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
  });
}

/** The fixed header of an MQTT packet of `type` claiming `remainingLength` (MQTT 3.1.1 §2.2). */
export function fixedHeader(type: number, remainingLength: number): Buffer {
  const bytes = [type << 4];
  let n = remainingLength;
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    bytes.push(b);
  } while (n > 0);
  return Buffer.from(bytes);
}

/** The remaining length MQTT allows at most (four bytes of variable byte integer), 256 MiB − 1. */
export const MQTT_MAX_REMAINING_LENGTH = 268_435_455;
