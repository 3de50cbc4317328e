/** The one logging seam of this lib; the notifier app passes its Nest logger (or pino) in. */
export interface NotificationsLogger {
  log(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** One JSON line per call on stdout/stderr; used when no logger is given. */
export const consoleLogger: NotificationsLogger = {
  log: (message, fields) => console.log(JSON.stringify({ level: 'info', msg: message, ...fields })),
  warn: (message, fields) => console.warn(JSON.stringify({ level: 'warn', msg: message, ...fields })),
};

export const silentLogger: NotificationsLogger = { log: () => undefined, warn: () => undefined };
