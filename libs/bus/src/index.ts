export * from './bus.port.js';
export * from './json-topic.js';
export * from './topics.js';
export * from './in-process-bus.adapter.js';
export * from './kafka-bus.adapter.js';
export * from './kafka-security.js';
export * from './partition-assignment.js';
export * from './compacted-table.store.js';
