export * from './ingest-pipeline.js';
export * from './side-recorders.js';
export * from './alarm-stage.js';
export * from './trip-directory.js';
export * from './retention.js';
export * from './store-write-behind.js';
