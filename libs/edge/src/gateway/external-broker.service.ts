import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { connect, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { randomUUID } from 'node:crypto';
import { type BusPort, BUS } from '@coldchain/bus';
import { type ColdchainConfig, CLOCK, CONFIG } from '@coldchain/config';
import { parseHubTopic } from '@coldchain/contract';
import type { Clock } from '@coldchain/domain';
import { TelemetryIntake } from '../telemetry-intake.js';
import { type MetadataCache, METADATA_CACHE } from '@coldchain/metadata-store';
import {
  type ColdchainMetrics,
  type ComponentState,
  type HealthRegistry,
  HEALTH,
  METRICS,
} from '@coldchain/observability';

/** Tunables of the external-broker client, units in the names. */
export const EXTERNAL_BROKER_DEFAULTS = {
  reconnectPeriodMs: 1000,
  connectTimeoutMs: 10_000,
  keepaliveS: 30,
  /** How long the broker keeps a gateway's session (and its unacknowledged messages) after a disconnect. */
  sessionExpiryS: 3600, // 1 hour
  /**
   * QoS 1 messages per connection between arrival and PUBACK, at most; also
   * sent to the broker as the connection's Receive Maximum (MQTT 5
   * §3.1.2.11.3), so the broker holds the rest.
   */
  maxInFlightPerConnection: 64,
};

/** The parts of mqtt.js's client the acknowledgement window drives. */
interface AckingClient {
  connected: boolean;
  stream: { destroyed?: boolean; destroy(): void };
  /** mqtt.js's own packet writer (private in its typings): the PUBACK it would send itself, sent later. */
  _sendPacket(packet: { cmd: 'puback'; messageId: number; reasonCode?: number }): void;
}

/** Tells mqtt.js to go on with the next packet without sending the PUBACK of this one (the window sends it). */
const PUBACK_DEFERRED = new Error('PUBACK deferred to the acknowledgement window');

/**
 * One connection's QoS 1 messages from arrival to PUBACK. mqtt.js hands a
 * connection's packets over one at a time and sends a message's PUBACK before
 * reading the next one, so acknowledging only once the bus holds a message
 * (`customHandleAcks` or `handleMessage`) leaves one message in flight per
 * connection: throughput is one bus round trip per message. The window
 * instead takes up to `max` messages at once:
 * - each is handed to `handle` at arrival, except that a hub's message waits
 *   for that hub's previous one (order per hub is kept, also when one fails);
 * - PUBACKs go in arrival order (MQTT 5 §4.6: PUBACK in the order the PUBLISH
 *   packets were received), each only once `handle` resolved for it and for
 *   every message before it;
 * - a failure drops the connection without acknowledging it or anything after
 *   it: the broker redelivers them to the persistent session.
 * Full, it withholds mqtt.js's packet callback, so reading stops (TCP
 * backpressure) until a PUBACK frees a place.
 */
export class AckWindow {
  private readonly entries: { messageId: number; settled: boolean }[] = [];
  private readonly hubTails = new Map<string, Promise<void>>();
  private waiting?: () => void;
  private generation = 0;
  /** Largest number of messages held at once (for tests and the log). */
  peakInFlight = 0;

  constructor(
    private readonly client: AckingClient,
    private readonly max: number,
    private readonly handle: (topic: string, payload: Buffer, retained: boolean) => Promise<void>,
    private readonly onFailure: (topic: string, err: unknown) => void,
  ) {}

  get inFlight(): number {
    return this.entries.length;
  }

  /** mqtt.js's `handleMessage` hook: every incoming PUBLISH, before mqtt.js would acknowledge it. */
  accept(packet: IPublishPacket, callback: (err?: Error) => void): void {
    if (packet.qos !== 1 || packet.messageId === undefined) {
      // Telemetry is subscribed at QoS 1; QoS 0 deliveries (a hub publishing at QoS 0) are not taken, as before.
      callback();
      return;
    }
    const entry = { messageId: packet.messageId, settled: false };
    this.entries.push(entry);
    this.peakInFlight = Math.max(this.peakInFlight, this.entries.length);
    this.start(packet, entry);
    if (this.entries.length < this.max) callback(PUBACK_DEFERRED);
    else this.waiting = () => callback(PUBACK_DEFERRED);
  }

  /** The connection closed: what was not acknowledged is the broker's to redeliver. */
  reset(): void {
    this.generation++;
    this.entries.length = 0;
    this.hubTails.clear();
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  private start(packet: IPublishPacket, entry: { messageId: number; settled: boolean }): void {
    const topic = packet.topic.toString();
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const generation = this.generation;
    // `khub/<imei>/...`: one chain per hub.
    const hubKey = topic.split('/', 2).join('/');
    const previous = this.hubTails.get(hubKey) ?? Promise.resolve();
    const done = previous.then(() => {
      if (generation !== this.generation) throw PUBACK_DEFERRED; // dropped with its connection
      return this.handle(topic, payload, packet.retain);
    });
    const tail = done.then(
      () => undefined,
      () => undefined,
    );
    this.hubTails.set(hubKey, tail);
    void tail.then(() => {
      if (this.hubTails.get(hubKey) === tail) this.hubTails.delete(hubKey);
    });
    done.then(
      () => {
        if (generation !== this.generation) return;
        entry.settled = true;
        this.acknowledge();
      },
      (err: unknown) => {
        if (generation !== this.generation || err === PUBACK_DEFERRED) return;
        this.onFailure(topic, err);
        this.generation++;
        this.client.stream.destroy();
      },
    );
  }

  private acknowledge(): void {
    while (this.entries.length > 0 && this.entries[0].settled) {
      const { messageId } = this.entries.shift()!;
      if (this.client.connected && !this.client.stream.destroyed)
        this.client._sendPacket({ cmd: 'puback', messageId, reasonCode: 0 });
    }
    if (this.waiting && this.entries.length < this.max) {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting();
    }
  }
}

/**
 * The MQTT edge in external-broker mode: N gateway instances subscribe to a
 * broker the hubs connect to (Mosquitto, EMQX, HiveMQ) with a shared
 * subscription `$share/<group>/khub/+/telemetry`, so the broker splits the
 * messages between them.
 *
 * The broker authenticates hubs and should enforce `khub/<username>/#` (for
 * Mosquitto: `pattern write khub/%u/#`); the gateway refuses messages of
 * unregistered hubs (`unknown_hub`, dead-lettered) and only counts their
 * status messages (`coldchain_unknown_hub_statuses_total`), which the broker
 * may hold retained long after the hub is gone.
 *
 * PUBACK to the broker is sent only once the bus holds the message, in
 * arrival order, with up to `maxInFlightPerConnection` messages in flight per
 * connection and a hub's messages handed to the bus in order ({@link AckWindow});
 * when the bus cannot take one, the connection is dropped without PUBACK and
 * the broker redelivers to the persistent session (clean=false) after
 * reconnection. MQTT 5 between gateway and broker (session expiry, Receive
 * Maximum); hubs may speak 3.1.1.
 */
@Injectable()
export class ExternalBrokerService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Gateway');
  private readonly clients: MqttClient[] = [];
  /** Each connection's acknowledgement window, index for index with `clients`. */
  readonly windows: AckWindow[] = [];
  private state: ComponentState = 'starting';
  private readonly intake: TelemetryIntake;

  constructor(
    @Inject(CONFIG) private readonly config: ColdchainConfig,
    @Inject(BUS) bus: BusPort,
    @Inject(METADATA_CACHE) private readonly cache: MetadataCache,
    @Inject(METRICS) metrics: ColdchainMetrics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HEALTH) health: HealthRegistry,
  ) {
    this.intake = new TelemetryIntake(bus, cache, metrics, clock);
    health.register('mqtt', () =>
      this.state === 'up' && this.clients.some((c) => !c.connected) ? 'degraded' : this.state,
    );
  }

  async onModuleInit(): Promise<void> {
    const group = this.config.MQTT_SHARE_GROUP;
    // Stable per instance and connection, so a restart resumes its persistent sessions.
    const instance = process.env.HOSTNAME ?? randomUUID().slice(0, 8);
    for (let i = 0; i < this.config.MQTT_EXTERNAL_CONNECTIONS; i++) {
      const client = connect(this.config.MQTT_EXTERNAL_URL, {
        clientId: `coldchain-gw-${group}-${instance}-${process.pid}-${i}`,
        protocolVersion: 5,
        clean: false,
        properties: {
          sessionExpiryInterval: EXTERNAL_BROKER_DEFAULTS.sessionExpiryS,
          receiveMaximum: EXTERNAL_BROKER_DEFAULTS.maxInFlightPerConnection,
        },
        reconnectPeriod: EXTERNAL_BROKER_DEFAULTS.reconnectPeriodMs,
        connectTimeout: EXTERNAL_BROKER_DEFAULTS.connectTimeoutMs,
        keepalive: EXTERNAL_BROKER_DEFAULTS.keepaliveS,
      } satisfies IClientOptions);
      const window = new AckWindow(
        client as unknown as AckingClient,
        EXTERNAL_BROKER_DEFAULTS.maxInFlightPerConnection,
        (topic, payload, retained) => this.handle(topic, payload, retained),
        (topic, err) =>
          this.logger.warn(
            `bus refused a message from ${topic}, dropping the session to get it redelivered: ${String(err)}`,
          ),
      );
      // mqtt.js sends a QoS 1 PUBACK when this hook calls back without an error, and reads the next
      // packet only then; the window calls back at once with PUBACK_DEFERRED and acknowledges itself.
      client.handleMessage = (packet, callback) => window.accept(packet, callback);
      client.on('close', () => window.reset());
      // Hooked before the first packet is read (the socket opens on a later tick): a persistent
      // session may hold messages already.
      await connected(client);
      client.on('error', (err) => this.logger.warn(`external broker: ${err.message}`));
      await client.subscribeAsync([`$share/${group}/khub/+/telemetry`, `$share/${group}/khub/+/status`], {
        qos: 1,
      });
      this.clients.push(client);
      this.windows.push(window);
    }
    this.state = 'up';
    this.logger.log(
      `subscribed to ${this.config.MQTT_EXTERNAL_URL} as share group ${group} (${this.clients.length} connections)`,
    );
  }

  private async handle(topic: string, payload: Buffer, retained: boolean): Promise<void> {
    const parsed = parseHubTopic(topic);
    if (!parsed) return;
    const hub = this.cache.hub(parsed.imei);
    if (!hub) {
      if (parsed.kind === 'status') {
        this.intake.unknownHubStatus(retained);
        return;
      }
      await this.intake.refuse(
        topic,
        parsed.imei,
        payload,
        'unknown_hub',
        `hub ${parsed.imei} is not registered`,
      );
      return;
    }
    if (parsed.kind === 'telemetry') await this.intake.handle(hub, topic, payload);
    else if (parsed.kind === 'status') await this.intake.status(hub, payload);
  }

  async onModuleDestroy(): Promise<void> {
    this.state = 'stopping';
    await Promise.all(this.clients.map((c) => c.endAsync()));
  }
}

/** Resolves once `client` is connected (or ended); rejects, ending it, on its first error (as mqtt.js's connectAsync). */
function connected(client: MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (err?: Error): void => {
      client.off('connect', onConnect);
      client.off('end', onConnect);
      client.off('error', settle);
      if (err) {
        client.end();
        reject(err);
      } else resolve();
    };
    const onConnect = (): void => settle();
    client.on('connect', onConnect);
    client.on('end', onConnect);
    client.on('error', settle);
  });
}
