/** DI tokens of the ports every app may inject. Ports are interfaces, so they are injected by token, never by type. */
export const CONFIG = Symbol('coldchain.config');
export const CLOCK = Symbol('coldchain.clock');
export const METRICS = Symbol('coldchain.metrics');
export const HEALTH = Symbol('coldchain.health');
export const BUS = Symbol('coldchain.bus');
export const TELEMETRY_STORE = Symbol('coldchain.telemetry-store');
export const METADATA_STORE = Symbol('coldchain.metadata-store');
export const METADATA_CACHE = Symbol('coldchain.metadata-cache');
