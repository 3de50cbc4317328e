export * from './route-playback.js';
