import { Module, type DynamicModule } from '@nestjs/common';
import type { ColdchainConfig } from '@coldchain/config';
import { ExternalBrokerService } from './external-broker.service.js';
import { MqttBrokerService } from './mqtt-broker.service.js';

/**
 * The MQTT edge: hubs in, bus records out. GATEWAY_MODE picks the edge: the
 * embedded aedes broker, or a shared subscription on an external broker.
 */
@Module({})
export class GatewayModule {
  static forConfig(config: ColdchainConfig): DynamicModule {
    const edge = config.GATEWAY_MODE === 'embedded' ? MqttBrokerService : ExternalBrokerService;
    return { module: GatewayModule, providers: [edge], exports: [edge] };
  }
}
