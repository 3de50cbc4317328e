export * from './hub-access.policy.js';
export * from './telemetry-intake.js';
