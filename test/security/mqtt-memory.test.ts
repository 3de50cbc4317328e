import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import type { MqttClient } from 'mqtt';
import type { DemoCredentials } from '../../apps/platform/src/demo-tenant.js';
import { eventually, freePort, startApp, type AppProcess } from '../support/process.js';
import {
  closed,
  fixedHeader,
  hubClient,
  MQTT_MAX_REMAINING_LENGTH,
  rawSocket,
  telemetry,
} from './mqtt-support.js';

/**
 * Memory before authentication: a packet's bytes must not be buffered before
 * the broker knows who sends them. The platform runs as its own process (the
 * built dist/, `npm run build` first) so its resident memory can be read from
 * /proc/<pid>/status while unauthenticated sockets each stream 100 MiB of one
 * packet whose fixed header claims the largest remaining length MQTT allows.
 */
const PLATFORM = 'dist/apps/platform/src/main.js';
const ATTACKERS = 8;
const ATTACK_BYTES_PER_SOCKET = 100 * 1024 * 1024; // 100 MiB
/** Bound of one attacker's streaming, ms: it stops then whatever it sent (the broker before the guard took 100 MiB per socket in about 10 s). */
const ATTACK_BOUND_MS = 60_000;
const RSS_GROWTH_LIMIT_BYTES = 50 * 1000 * 1000; // 50 MB
const CONNECT = 1;
const PUBLISH = 3;

const dataDir = mkdtempSync(join(tmpdir(), 'cc-sec-mqtt-'));
let app: AppProcess;
let mqttUrl: string;
let mqttPort: number;
let creds: DemoCredentials;
const clients: MqttClient[] = [];
const T = Date.UTC(2026, 10, 23, 9, 0, 0);
let seq = 0;

/** Resident set size of the platform process, bytes (VmRSS of /proc/<pid>/status). */
function rss(): number {
  const status = readFileSync(`/proc/${app.child.pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!kb) throw new Error('no VmRSS in /proc status');
  return Number(kb[1]) * 1024;
}

/**
 * Writes `header` then zeros until `total` bytes, `bound` ms, or the peer
 * closes the socket, honouring back-pressure. Resolves with the bytes written.
 */
async function stream(socket: Socket, header: Buffer, total: number, bound: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024);
  const deadline = Date.now() + bound;
  let sent = header.length;
  socket.on('error', () => undefined); // ECONNRESET once the broker cuts it: expected
  socket.write(header);
  while (sent < total && !socket.destroyed && Date.now() < deadline) {
    const room = socket.write(chunk);
    sent += chunk.length;
    if (!room)
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          socket.off('drain', done);
          socket.off('close', done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
        socket.once('drain', done);
        socket.once('close', done);
      });
  }
  return sent;
}

const MiB = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/**
 * One attacker: streams `total` bytes of packets claiming `header`'s length,
 * reconnecting each time the broker closes its socket, within `bound` ms.
 * Resolves once its last socket is closed, with the bytes and sockets used.
 */
async function attacker(
  header: Buffer,
  total: number,
  bound: number,
): Promise<{ sent: number; sockets: number }> {
  const deadline = Date.now() + bound;
  let sent = 0;
  let sockets = 0;
  while (sent < total && Date.now() < deadline) {
    const socket = await rawSocket(mqttPort);
    sockets++;
    sent += await stream(socket, header, total - sent, deadline - Date.now());
    await closed(socket);
  }
  return { sent, sockets };
}

beforeAll(async () => {
  const port = await freePort();
  mqttPort = await freePort();
  app = startApp(PLATFORM, {
    DATA_DIR: dataDir,
    PORT: String(port),
    MQTT_PORT: String(mqttPort),
    SIM_HUBS: '0',
    LOG_LEVEL: 'warn',
  });
  mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
  await eventually(
    async () => ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200 ? true : undefined),
    30_000,
    'platform healthy',
  );
  creds = JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  if (app.child.exitCode === null) {
    app.child.kill('SIGKILL');
    await app.exited;
  }
});

describe('MQTT packets before authentication', () => {
  it('keeps memory bounded while 8 unauthenticated sockets each stream 100 MiB, and keeps serving a hub', async () => {
    const hub = creds.hubs[0];
    const tag = creds.tags.find((t) => t.hub === hub.imei)!.mac;
    const honest = await hubClient(mqttUrl, hub);
    clients.push(honest);
    const publish = () =>
      honest.publishAsync(`khub/${hub.imei}/telemetry`, telemetry(hub.imei, tag, T + seq, seq++), { qos: 1 });
    for (let i = 0; i < 20; i++) await publish(); // warm the path before the baseline
    const before = rss();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 50);

    let attacking = true;
    let acksDuringAttack = 0;
    const honestLoop = (async () => {
      while (attacking) {
        await publish();
        acksDuringAttack++;
      }
    })();
    // Half claim a huge CONNECT, half a huge PUBLISH as their first packet; each resolves once its
    // last socket is closed, so this also shows that every socket gets closed.
    const results = await Promise.all(
      Array.from({ length: ATTACKERS }, (_, i) =>
        attacker(
          fixedHeader(i % 2 ? PUBLISH : CONNECT, MQTT_MAX_REMAINING_LENGTH),
          ATTACK_BYTES_PER_SOCKET,
          ATTACK_BOUND_MS,
        ),
      ),
    );
    attacking = false;
    await honestLoop;
    clearInterval(sampler);
    peak = Math.max(peak, rss());
    await new Promise((r) => setTimeout(r, 2000));
    const after = rss();
    process.stdout.write(
      `mqtt-memory: RSS before ${MiB(before)} MiB, peak ${MiB(peak)} MiB, after ${MiB(after)} MiB; ` +
        `attackers wrote ${results.map((r) => MiB(r.sent)).join(', ')} MiB ` +
        `over ${results.map((r) => r.sockets).join(', ')} sockets; ${acksDuringAttack} PUBACKs during the attack\n`,
    );

    expect(peak - before).toBeLessThan(RSS_GROWTH_LIMIT_BYTES);
    expect(acksDuringAttack).toBeGreaterThan(0);
    expect(honest.connected).toBe(true);
    await publish();
  });

  it('disconnects an authenticated hub publishing over the packet limit, and its next session works', async () => {
    const hub = creds.hubs[1];
    const tag = creds.tags.find((t) => t.hub === hub.imei)!.mac;
    const client = await hubClient(mqttUrl, hub);
    clients.push(client);
    const oversized = Buffer.alloc(1024 * 1024, 0x41); // 1 MiB, over MQTT_MAX_PACKET_BYTES (257 KiB)
    const outcome = await Promise.race([
      client.publishAsync(`khub/${hub.imei}/telemetry`, oversized, { qos: 1 }).then(
        () => 'acked',
        () => 'closed',
      ),
      new Promise<string>((resolve) => client.once('close', () => resolve('closed'))),
    ]);
    expect(outcome).toBe('closed');

    const again = await hubClient(mqttUrl, hub);
    clients.push(again);
    await again.publishAsync(`khub/${hub.imei}/telemetry`, telemetry(hub.imei, tag, T + 500_000, 1), {
      qos: 1,
    });
    expect(again.connected).toBe(true);
  });
});
