export * from './coldchain-metrics.js';
export * from './health.js';
