export * from './thermal.model.js';
export * from './virtual-tag.js';
