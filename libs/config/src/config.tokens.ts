/** DI token of the validated {@link ColdchainConfig}. Ports are interfaces, so they are injected by token, never by type. */
export const CONFIG = Symbol('coldchain.config');
/** DI token of the {@link Clock} every time-dependent piece reads (the system clock, or a test's). */
export const CLOCK = Symbol('coldchain.clock');
