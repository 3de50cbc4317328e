export * from './simulated-hub.js';
