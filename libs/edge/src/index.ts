export * from './hub-access.policy.js';
export * from './telemetry-intake.js';
export * from './dead-letter-rate-limit.js';
export * from './edge.defaults.js';
