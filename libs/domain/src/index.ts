export * from './time.js';
export * from './telemetry.js';
export * from './identity.js';
export * from './profile.js';
export * from './profile-rules.js';
export * from './alert.js';
export * from './trip.js';
