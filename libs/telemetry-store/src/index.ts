export * from './telemetry-store.port.js';
export * from './sqlite-telemetry-store.adapter.js';
