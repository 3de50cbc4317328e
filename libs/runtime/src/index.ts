export * from './tokens.js';
export * from './adapters.factory.js';
export * from './core.module.js';
export * from './bootstrap.js';
