export * from './scheduler.js';
export * from './hub-clock.js';
export * from './duration.js';
