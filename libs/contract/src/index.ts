export * from './identities.js';
export * from './topics.js';
export * from './limits.js';
export * from './reject-reason.js';
export * from './telemetry-v1.schema.js';
export * from './telemetry-v1.validator.js';
export * from './dead-letter.js';
