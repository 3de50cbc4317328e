export * from './connections-per-address.limiter.js';
export * from './hub-access.policy.js';
export * from './mqtt-frame.guard.js';
export * from './telemetry-intake.js';
