export * from './metadata-store.port.js';
export * from './migrations.js';
export * from './credentials.js';
export * from './sqlite-metadata-store.adapter.js';
export * from './postgres-metadata-store.adapter.js';
export * from './metadata-cache.js';
export * from './demo-seed.js';
