export * from './coldchain.error.js';
export * from './engine-unavailable.error.js';
export * from './invalid-input.error.js';
export * from './not-found.error.js';
export * from './shutting-down.error.js';
