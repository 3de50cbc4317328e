export * from './live-feed.js';
export * from './session-streams.js';
