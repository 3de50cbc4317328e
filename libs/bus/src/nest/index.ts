export * from './bus.context.js';
export * from './bus-event-pattern.decorator.js';
export * from './bus.server.js';
export * from './bus.client.js';
export * from './connect-bus-transport.js';
