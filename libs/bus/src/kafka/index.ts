export * from './kafka-bus.adapter.js';
export { KAFKA_BUS_DEFAULTS } from './kafka-bus.defaults.js';
export type { KafkaBusLog } from './kafka-client.js';
export type { ConsumerCrash, ConsumerHealth, ConsumerRestartPolicy } from './kafka-consumer-supervisor.js';
