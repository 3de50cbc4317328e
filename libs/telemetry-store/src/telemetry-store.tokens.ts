/** DI token of the process's {@link TelemetryStorePort}. */
export const TELEMETRY_STORE = Symbol('coldchain.telemetry-store');
