export * from './sim.error.js';
export * from './broker-unreachable.error.js';
export * from './credentials-refused.error.js';
export * from './invalid-option.error.js';
export * from './invalid-scenario.error.js';
export * from './no-bluetooth-adapter.error.js';
export * from './queue-locked.error.js';
