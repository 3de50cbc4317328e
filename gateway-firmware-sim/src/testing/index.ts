export * from './aedes-test-broker.js';
export * from './wait-for.js';
