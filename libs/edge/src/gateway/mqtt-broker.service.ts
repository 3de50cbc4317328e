import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Aedes, type Client } from 'aedes';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { type BusPort, BUS } from '@coldchain/bus';
import { type ColdchainConfig, CLOCK, CONFIG } from '@coldchain/config';
import { parseHubTopic } from '@coldchain/contract';
import type { Clock } from '@coldchain/domain';
import { ConnectionsPerAddressLimiter } from '../connections-per-address.limiter.js';
import { CONNACK, HubAccessPolicy } from '../hub-access.policy.js';
import { MqttFrameGuard, type FrameViolation } from '../mqtt-frame.guard.js';
import { TelemetryIntake } from '../telemetry-intake.js';
import { type HubRecord, type MetadataCache, METADATA_CACHE } from '@coldchain/metadata-store';
import {
  type ColdchainMetrics,
  type ComponentState,
  type HealthRegistry,
  HEALTH,
  METRICS,
} from '@coldchain/observability';
import { GuardedConnection } from './guarded-connection.adapter.js';

/** Tunables of the embedded broker, units in the names. */
export const MQTT_BROKER_DEFAULTS = {
  /** Disconnect a hub whose socket does not drain for this long (aedes DoS guard). */
  drainTimeoutMs: 30_000, // 30 s
  /**
   * Inbound QoS 2 messages stored awaiting PUBREL per client (aedes `maxInflightInbound`).
   * Hubs may not publish at QoS 2 (HubAccessPolicy), so this only bounds what slips past it.
   */
  maxInflightInbound: 16,
  /** Least time between two warnings about connections refused by the per-address cap. */
  capWarningIntervalMs: 60_000, // 1 minute
  /** Hub client ids are `khub-<imei>` (20 chars); leave room for firmware suffixes. */
  maxClientIdLength: 64,
};

/** The part of aedes' persistence that lists retained messages (aedes-persistence). */
interface RetainedMessages {
  createRetainedStream(filter: string): AsyncIterable<{ topic: string; payload: Buffer | string }>;
}

/**
 * The MQTT edge in embedded-broker mode: an aedes broker that hubs connect to.
 *
 * - Before aedes: at most MQTT_MAX_CONNECTIONS_PER_ADDRESS sockets per remote
 *   address; every packet's fixed header is read as it arrives, and a first
 *   packet other than CONNECT, a CONNECT over MQTT_MAX_CONNECT_BYTES or any
 *   packet over MQTT_MAX_PACKET_BYTES closes the socket before the packet is
 *   buffered. A socket without CONNECT after MQTT_CONNECT_TIMEOUT_MS is closed.
 * - CONNECT: username = IMEI, password = hub secret; refused with CONNACK 4
 *   (MQTT 3.1.1 §3.2.2.3) when unknown or wrong, and with CONNACK 2 (identifier
 *   rejected) when the client id is not the hub's own `khub-{imei}[-suffix]`,
 *   so no hub can take over (and close) another hub's session.
 * - PUBLISH: only under the hub's own `khub/{imei}/`, at QoS 0 or 1, retained
 *   only on its status topic with `online`/`offline`. A QoS 1 PUBACK is written by
 *   aedes once `authorizePublish` calls back, so the telemetry is handed to the
 *   bus there and the callback waits for the bus: PUBACK means "safe". When the
 *   bus cannot take it, the callback errs and aedes closes the connection
 *   without PUBACK (MQTT-3.3.5-2); the hub resends after reconnecting.
 *   Malformed telemetry is dead-lettered and acknowledged (resending cannot fix it).
 * - SUBSCRIBE: only the hub's own `khub/{imei}/config`.
 */
@Injectable()
export class MqttBrokerService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Gateway');
  private broker?: Aedes;
  private servers: Array<Server | TlsServer> = [];
  private readonly hubs = new WeakMap<Client, HubRecord>();
  private state: ComponentState = 'starting';
  private readonly policy: HubAccessPolicy;
  private readonly intake: TelemetryIntake;
  private readonly perAddress: ConnectionsPerAddressLimiter;
  /** Connections refused by the per-address cap since the last warning, and when that was. */
  private capRefusals = 0;
  private capWarnedAt = -Infinity;

  constructor(
    @Inject(CONFIG) private readonly config: ColdchainConfig,
    @Inject(BUS) bus: BusPort,
    @Inject(METADATA_CACHE) cache: MetadataCache,
    @Inject(METRICS) private readonly metrics: ColdchainMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HEALTH) health: HealthRegistry,
  ) {
    this.policy = new HubAccessPolicy(cache);
    this.perAddress = new ConnectionsPerAddressLimiter(config.MQTT_MAX_CONNECTIONS_PER_ADDRESS);
    this.intake = new TelemetryIntake(bus, cache, metrics, clock);
    health.register('mqtt', () => this.state);
  }

  /** Actual listening ports (tests bind port 0). */
  get ports(): { mqtt?: number; mqtts?: number } {
    const port = (s?: Server | TlsServer) => {
      const a = s?.address();
      return a && typeof a === 'object' ? a.port : undefined;
    };
    return { mqtt: port(this.servers[0]), mqtts: port(this.servers[1]) };
  }

  async onModuleInit(): Promise<void> {
    const broker = new Aedes({
      drainTimeout: MQTT_BROKER_DEFAULTS.drainTimeoutMs,
      connectTimeout: this.config.MQTT_CONNECT_TIMEOUT_MS,
      maxClientsIdLength: MQTT_BROKER_DEFAULTS.maxClientIdLength,
      maxInflightInbound: MQTT_BROKER_DEFAULTS.maxInflightInbound,
    });
    await broker.listen();
    broker.authenticate = (client, username, password, done) => {
      const decision = this.policy.authenticate(username, password, client.id);
      if (decision.ok) {
        this.hubs.set(client, decision.hub);
        return done(null, true);
      }
      this.metrics.authFailures.inc();
      if (decision.returnCode === CONNACK.identifierRejected)
        this.logger.warn(`hub ${username} refused: client id ${client.id} is not its own`);
      const err = Object.assign(new Error('hub refused'), { returnCode: decision.returnCode });
      done(err, false);
    };
    broker.authorizeSubscribe = (client, sub, done) => {
      const hub = client ? this.hubs.get(client) : undefined;
      // A negated subscription (null) gets SUBACK 0x80 (MQTT 3.1.1 §3.9.3).
      done(null, hub && this.policy.authorizeSubscribe(hub, sub.topic) ? sub : null);
    };
    broker.authorizePublish = (client, packet, done) => {
      const hub = client ? this.hubs.get(client) : undefined;
      if (!hub) return done(new Error('publish without an authenticated hub'));
      const refused = this.policy.authorizePublish(hub, packet);
      if (refused) {
        if (refused === 'topic_not_allowed') this.metrics.rejected(refused, 1);
        return done(new Error(`${refused}: ${hub.imei} may not publish on ${packet.topic}`));
      }
      const kind = parseHubTopic(packet.topic)?.kind;
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
      const work =
        kind === 'telemetry'
          ? this.intake.handle(hub, packet.topic, payload)
          : this.intake.status(hub, payload);
      work.then(
        () => done(null),
        (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
      );
    };
    broker.on('clientReady', (client) => {
      if (this.hubs.has(client)) this.metrics.connectedHubs.inc();
    });
    broker.on('clientDisconnect', (client) => {
      if (this.hubs.has(client)) this.metrics.connectedHubs.dec();
    });
    this.broker = broker;

    const plain = createServer((socket) => {
      if (this.admit(socket)) this.handOver(socket);
    });
    await new Promise<void>((resolve, reject) => {
      plain.once('error', reject);
      plain.listen(this.config.MQTT_PORT, this.config.BIND_HOST, () => resolve());
    });
    this.servers.push(plain);
    if (this.config.MQTTS_PORT > 0) {
      if (!this.config.MQTT_TLS_CERT || !this.config.MQTT_TLS_KEY)
        throw new Error('MQTTS_PORT is set: MQTT_TLS_CERT and MQTT_TLS_KEY must name PEM files');
      const tls = createTlsServer(
        {
          cert: readFileSync(this.config.MQTT_TLS_CERT),
          key: readFileSync(this.config.MQTT_TLS_KEY),
          // The handshake comes before aedes' CONNECT timer: bound it the same way (Node's default is 120 s).
          handshakeTimeout: this.config.MQTT_CONNECT_TIMEOUT_MS,
        },
        (socket) => this.handOver(socket),
      );
      // The cap counts TCP connections, so handshakes count too; destroying one ends its TLS socket.
      tls.on('connection', (raw: Socket) => this.admit(raw));
      // A handshake that fails or times out only emits this; the socket stays open unless destroyed here.
      tls.on('tlsClientError', (_err, socket) => socket.destroy());
      await new Promise<void>((resolve, reject) => {
        tls.once('error', reject);
        tls.listen(this.config.MQTTS_PORT, this.config.BIND_HOST, () => resolve());
      });
      this.servers.push(tls);
    }
    this.state = 'up';
    const { mqtt, mqtts } = this.ports;
    this.logger.log(`MQTT broker on ${this.config.BIND_HOST}:${mqtt}${mqtts ? `, MQTTS on ${mqtts}` : ''}`);
  }

  /** Messages the broker keeps retained on topics matching `filter` (diagnostics and tests). */
  async retained(filter = '#'): Promise<Array<{ topic: string; payload: Buffer }>> {
    // aedes sets `persistence` at listen() but does not declare it in its types.
    const persistence = (this.broker as { persistence?: RetainedMessages } | undefined)?.persistence;
    const out: Array<{ topic: string; payload: Buffer }> = [];
    if (!persistence) return out;
    for await (const p of persistence.createRetainedStream(filter))
      out.push({ topic: p.topic, payload: Buffer.from(p.payload) });
    return out;
  }

  /** Counts a new TCP connection against the per-address cap; false (and destroyed) when over it. */
  private admit(socket: Socket): boolean {
    const address = socket.remoteAddress ?? 'unknown';
    if (!this.perAddress.tryOpen(address)) {
      socket.destroy();
      this.capRefusals++;
      // Once a minute at most: a flood must not flood the log, a too-low cap must still show.
      const now = this.clock.now();
      if (now - this.capWarnedAt >= MQTT_BROKER_DEFAULTS.capWarningIntervalMs) {
        this.logger.warn(
          `refused ${this.capRefusals} connection(s) over MQTT_MAX_CONNECTIONS_PER_ADDRESS=` +
            `${this.config.MQTT_MAX_CONNECTIONS_PER_ADDRESS}, the last from ${address}`,
        );
        this.capRefusals = 0;
        this.capWarnedAt = now;
      }
      return false;
    }
    socket.once('close', () => this.perAddress.close(address));
    return true;
  }

  /** Hands an admitted connection (plain, or TLS once its handshake is done) to aedes behind the frame guard. */
  private handOver(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    const guard = new MqttFrameGuard({
      maxConnectBytes: this.config.MQTT_MAX_CONNECT_BYTES,
      maxPacketBytes: this.config.MQTT_MAX_PACKET_BYTES,
    });
    this.broker!.handle(new GuardedConnection(socket, guard, (v, client) => this.cut(address, v, client)));
  }

  private cut(address: string, violation: FrameViolation, client: Client | undefined): void {
    const what =
      violation.kind === 'packet_too_large'
        ? `a packet of ${violation.remainingLength}+ bytes (limit ${violation.limit})`
        : violation.kind === 'first_packet_not_connect'
          ? `packet type ${violation.packetType} before CONNECT`
          : 'a malformed remaining length';
    const hub = client ? this.hubs.get(client) : undefined;
    if (hub) {
      // Counted with the contract's reason: the packet never reaches the intake, which would count it.
      if (violation.kind === 'packet_too_large') this.metrics.rejected('payload_too_large', 1);
      this.logger.warn(`closed hub ${hub.imei} (${address}): ${what}`);
    }
    // Unauthenticated: debug only, so a flood cannot flood the log.
    else this.logger.debug(`closed an unauthenticated connection from ${address}: ${what}`);
  }

  /**
   * Stops taking connections and closes the hubs' sessions. Messages already
   * in `authorizePublish` finish their bus hand-off first (the bus drains after
   * this, in the runtime's EngineShutdown); hubs resend anything not acknowledged.
   */
  async onModuleDestroy(): Promise<void> {
    this.state = 'stopping';
    for (const s of this.servers) s.close();
    if (this.broker) await new Promise<void>((resolve) => this.broker!.close(() => resolve()));
    this.servers = [];
  }
}
