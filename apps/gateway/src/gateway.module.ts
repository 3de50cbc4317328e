import { Module } from '@nestjs/common';
import { MqttBrokerService } from './mqtt-broker.service.js';

/** The MQTT edge: hubs in, bus records out. */
@Module({ providers: [MqttBrokerService], exports: [MqttBrokerService] })
export class GatewayModule {}
