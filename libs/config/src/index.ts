export * from './env.schema.js';
export * from './load-config.js';
export * from './config.error.js';
export * from './data-dir.js';
export * from './secret-file.js';
export * from './weak-secret.error.js';
export * from './config.tokens.js';
export * from './config.module.js';
