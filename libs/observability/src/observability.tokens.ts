/** DI token of the process's {@link ColdchainMetrics}. */
export const METRICS = Symbol('coldchain.metrics');
/** DI token of the process's {@link HealthRegistry}. */
export const HEALTH = Symbol('coldchain.health');
