export * from './coldchain-metrics.js';
export * from './health.js';
export * from './observability.tokens.js';
export * from './observability.module.js';
