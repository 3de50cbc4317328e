export * from './telemetry-store.port.js';
export * from './series-query.js';
export * from './sqlite-telemetry-store.adapter.js';
export * from './influx-telemetry-store.adapter.js';
export * from './influx-tls.js';
export * from './telemetry-store.tokens.js';
export * from './telemetry-store.module.js';
