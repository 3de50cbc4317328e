export * from './k-tag-advertisement.codec.js';
