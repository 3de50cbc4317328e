export * from './engine-shutdown.js';
export * from './bootstrap.js';
export * from './ops.controller.js';
export * from './app-bootstrap.js';
export * from './http-security.js';
export * from './shutdown-budget.js';
