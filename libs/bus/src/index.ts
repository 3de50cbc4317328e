export * from './bus.port.js';
export * from './in-process-bus.adapter.js';
export * from './kafka/index.js';
export * from './kafka-security.js';
export * from './partition-assignment.js';
export * from './compacted-table.store.js';
export * from './bus.tokens.js';
export * from './bus.module.js';
