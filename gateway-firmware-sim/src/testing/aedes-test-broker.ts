import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes } from 'aedes';
import { parseHubTopic } from '@coldchain/contract';

export interface ReceivedMessage {
  topic: string;
  payload: Buffer;
  retain: boolean;
  qos: number;
  clientId: string | undefined;
}

export interface TestBrokerOptions {
  /** IMEI → secret. When given, CONNECT is authenticated (username IMEI, password secret) like the platform's embedded broker; otherwise anonymous. */
  credentials?: Map<string, string>;
  /** Keep every message published by a client (default true). False: only count (benchmarks). */
  record?: boolean;
  /** TCP port; default 0 (any free port). Always 127.0.0.1. */
  port?: number;
  /** PEM key and certificate: serve MQTT over TLS (`mqtts://`). */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface TestBroker {
  readonly url: string;
  readonly port: number;
  readonly aedes: Aedes;
  /** Messages published by clients, in arrival order (when recording). */
  readonly messages: ReceivedMessage[];
  /** Messages published by clients, counted per topic kind (`telemetry`, `status`, …). */
  readonly counts: { telemetry: number; telemetryBytes: number; status: number; other: number };
  /**
   * While on, telemetry publishes are held before authorisation: the broker
   * neither forwards nor PUBACKs them (a congested or stalled broker).
   * `release` lets the held ones through; dropped clients' held ones vanish.
   */
  holdTelemetry(on: boolean): void;
  releaseHeld(): void;
  /** Telemetry publishes being held now. */
  heldCount(): number;
  /** Drops every client's TCP connection without DISCONNECT (a broker-side outage or a cellular drop). */
  dropAllClients(): void;
  /** Calls `listener` after anything observable changes (a message recorded, one held, a client in or out). */
  onChange(listener: () => void): () => void;
  /** Clients connected now. */
  connectedClients(): number;
  close(): Promise<void>;
}

/**
 * An aedes broker on 127.0.0.1 for tests and benchmarks, with the embedded
 * platform's rules: authentication by IMEI and secret (CONNACK 4, bad user
 * name or password, when refused) and an ACL letting a hub publish only
 * under its own `khub/{imei}/`. Test support: not the platform's edge.
 */
export async function startTestBroker(options: TestBrokerOptions = {}): Promise<TestBroker> {
  const record = options.record ?? true;
  const credentials = options.credentials;
  const changeListeners = new Set<() => void>();
  const changed = () => {
    for (const l of [...changeListeners]) l();
  };
  let hold = false;
  let held: Array<() => void> = [];
  const aedes = await Aedes.createBroker({
    authenticate: (_client, username, password, done) => {
      if (!credentials) return done(null, true);
      const ok = username !== undefined && credentials.get(username) === password?.toString();
      if (ok) return done(null, true);
      const err = Object.assign(new Error('bad user name or password'), { returnCode: 4 as const });
      done(err, false);
    },
    authorizePublish: (client, packet, done) => {
      if (packet.topic.startsWith('$SYS/')) return done(new Error('$SYS is read-only'));
      if (hold && parseHubTopic(packet.topic)?.kind === 'telemetry') {
        held.push(() => done(null));
        setImmediate(changed);
        return;
      }
      if (credentials && client) {
        const t = parseHubTopic(packet.topic);
        if (!t || t.imei !== client.id.replace(/^khub-/, ''))
          return done(new Error(`hub ${client.id} may not publish on ${packet.topic}`));
      }
      done(null);
    },
  });
  const messages: ReceivedMessage[] = [];
  const counts = { telemetry: 0, telemetryBytes: 0, status: 0, other: 0 };
  aedes.on('publish', (packet, client) => {
    if (!client) return; // the broker's own $SYS and will deliveries are not client publishes… except wills, counted via status below
    const kind = parseHubTopic(packet.topic)?.kind;
    if (kind === 'telemetry') {
      counts.telemetry++;
      counts.telemetryBytes += packet.payload.length;
    } else if (kind === 'status') counts.status++;
    else counts.other++;
    if (record) {
      messages.push({
        topic: packet.topic,
        payload: Buffer.from(packet.payload as Buffer),
        retain: packet.retain,
        qos: packet.qos,
        clientId: client.id,
      });
    }
    setImmediate(changed);
  });
  aedes.on('clientReady', () => setImmediate(changed));
  aedes.on('clientDisconnect', () => setImmediate(changed));
  const sockets = new Set<Socket>();
  const onSocket = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    aedes.handle(socket);
  };
  const server: Server = options.tls ? createTlsServer(options.tls, onSocket) : createServer(onSocket);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `${options.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    port,
    aedes,
    messages,
    counts,
    holdTelemetry: (on) => {
      hold = on;
    },
    releaseHeld: () => {
      const release = held;
      held = [];
      for (const r of release) r();
    },
    heldCount: () => held.length,
    onChange: (listener) => {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    dropAllClients: () => {
      held = [];
      for (const s of sockets) s.destroy();
    },
    connectedClients: () => aedes.connectedClients,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}
