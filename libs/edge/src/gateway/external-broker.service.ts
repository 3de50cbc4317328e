import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { connectAsync, type IPublishPacket, type MqttClient } from 'mqtt';
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
};

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
 * PUBACK to the broker is sent only once the bus holds the message
 * (`customHandleAcks`, over MQTT 5 between gateway and broker; hubs may speak 3.1.1); when the bus cannot take it, the connection is dropped
 * without PUBACK and the broker redelivers to the persistent session
 * (clean=false) after reconnection.
 */
@Injectable()
export class ExternalBrokerService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Gateway');
  private readonly clients: MqttClient[] = [];
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
      const client = await connectAsync(this.config.MQTT_EXTERNAL_URL, {
        clientId: `coldchain-gw-${group}-${instance}-${process.pid}-${i}`,
        // MQTT 5: mqtt.js honours customHandleAcks only on v5 (on 3.1.1 it acknowledges at once).
        protocolVersion: 5,
        clean: false,
        properties: { sessionExpiryInterval: EXTERNAL_BROKER_DEFAULTS.sessionExpiryS },
        reconnectPeriod: EXTERNAL_BROKER_DEFAULTS.reconnectPeriodMs,
        connectTimeout: EXTERNAL_BROKER_DEFAULTS.connectTimeoutMs,
        keepalive: EXTERNAL_BROKER_DEFAULTS.keepaliveS,
        customHandleAcks: (topic, message, packet, done) => {
          this.handle(topic, message, (packet as IPublishPacket).retain).then(
            () => done(0),
            (err: unknown) => {
              this.logger.warn(
                `bus refused a message from ${topic}, dropping the session to get it redelivered: ${String(err)}`,
              );
              client.stream.destroy();
            },
          );
        },
      });
      client.on('error', (err) => this.logger.warn(`external broker: ${err.message}`));
      await client.subscribeAsync([`$share/${group}/khub/+/telemetry`, `$share/${group}/khub/+/status`], {
        qos: 1,
      });
      this.clients.push(client);
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
