/** DI token of the process's {@link BusPort}. */
export const BUS = Symbol('coldchain.bus');
