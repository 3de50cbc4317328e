export * from './connections-per-address.limiter.js';
export * from './hub-access.policy.js';
export * from './mqtt-frame.guard.js';
export * from './telemetry-intake.js';
export * from './dead-letter-rate-limit.js';
export * from './edge.defaults.js';
