export * from './time.js';
export * from './telemetry.js';
export * from './identity.js';
export * from './profile.js';
export * from './profile-rules.js';
export * from './alert.js';
export * from './simple-range.evaluator.js';
export * from './trip.js';
