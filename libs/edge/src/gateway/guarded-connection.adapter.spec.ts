import { afterEach, describe, expect, it } from '@jest/globals';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { MqttFrameGuard, type FrameViolation } from '../mqtt-frame.guard.js';
import { GuardedConnection } from './guarded-connection.adapter.js';

/** A loopback server whose first connection is wrapped in a GuardedConnection. */
async function pair(): Promise<{
  client: Socket;
  guarded: GuardedConnection;
  violations: FrameViolation[];
  server: Server;
}> {
  const violations: FrameViolation[] = [];
  let resolveGuarded: (g: GuardedConnection) => void;
  const guardedReady = new Promise<GuardedConnection>((r) => (resolveGuarded = r));
  const server = createServer((socket) =>
    resolveGuarded(
      new GuardedConnection(socket, new MqttFrameGuard({ maxConnectBytes: 10, maxPacketBytes: 100 }), (v) =>
        violations.push(v),
      ),
    ),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const client = connect(port, '127.0.0.1');
  client.on('error', () => undefined);
  return { client, guarded: await guardedReady, violations, server };
}

const closed = (s: { destroyed: boolean; once(e: 'close', f: () => void): unknown }) =>
  new Promise<void>((r) => (s.destroyed ? r() : s.once('close', () => r())));

let open: Server[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => new Promise((r) => s.close(r))));
  open = [];
});

describe('GuardedConnection', () => {
  it('passes packets within the limits both ways', async () => {
    const { client, guarded, server } = await pair();
    open.push(server);
    const bytes = Buffer.from([0x10, 2, 0, 0, 0x30, 3, 1, 2, 3]); // CONNECT (2 bytes), PUBLISH (3 bytes)
    const received: Buffer[] = [];
    guarded.on('data', (b: Buffer) => received.push(b));
    client.write(bytes);
    const echoed = new Promise<Buffer>((r) => client.once('data', r));
    guarded.write(Buffer.from([0x20, 2, 0, 0])); // CONNACK
    expect(await echoed).toEqual(Buffer.from([0x20, 2, 0, 0]));
    while (Buffer.concat(received).length < bytes.length) await new Promise((r) => setImmediate(r));
    expect(Buffer.concat(received)).toEqual(bytes);
    client.destroy();
    await closed(guarded);
  });

  it('closes the socket on an oversized header before passing any of that packet on', async () => {
    const { client, guarded, violations, server } = await pair();
    open.push(server);
    const received: Buffer[] = [];
    guarded.on('data', (b: Buffer) => received.push(b));
    guarded.on('error', () => undefined);
    // A CONNECT, then a PUBLISH claiming 256 MiB, in one chunk.
    client.write(Buffer.from([0x10, 0, 0x30, 0xff, 0xff, 0xff, 0x7f, ...Buffer.alloc(1000)]));
    await Promise.all([closed(client), closed(guarded)]);
    expect(violations).toEqual([
      { kind: 'packet_too_large', remainingLength: expect.any(Number), limit: 100 },
    ]);
    expect(received).toEqual([]);
  });
});
