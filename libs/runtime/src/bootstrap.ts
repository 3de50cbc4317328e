import { Logger, type INestApplicationContext, type LogLevel } from '@nestjs/common';
import {
  checkSecretFiles,
  ConfigError,
  loadConfig,
  tightenDataDir,
  type ColdchainConfig,
} from '@coldchain/config';
import { shutdownBudget } from './shutdown-budget.js';

const LEVELS: Record<ColdchainConfig['LOG_LEVEL'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  log: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
};

export const logLevels = (config: ColdchainConfig): LogLevel[] => LEVELS[config.LOG_LEVEL];

/**
 * Validates the environment or exits with the message naming every bad key
 * (exit code 78, EX_CONFIG). `appDefaults`: the app's own defaults for keys
 * left unset (see loadConfig).
 */
export function configOrExit(
  appDefaults: Partial<Record<keyof ColdchainConfig, string>> = {},
): ColdchainConfig {
  try {
    return loadConfig(process.env, appDefaults);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
}

/**
 * A second signal within this window is the same Ctrl-C seen twice (the
 * terminal signals the whole process group, and npm forwards it to its child
 * too), not an impatient user.
 */
const DUPLICATE_SIGNAL_WINDOW_MS = 1000;

/** Exit code of a graceful stop that kept to SHUTDOWN_TIMEOUT_MS by leaving work uncommitted (EX_TEMPFAIL). */
export const EXIT_DRAIN_CUT_SHORT = 75;

/**
 * Stops the app on SIGINT/SIGTERM: edges first, then the bus stops consuming
 * and drains, then the stores close (see EngineShutdown), all within
 * SHUTDOWN_TIMEOUT_MS (ShutdownBudget). Exit codes: 0 everything drained;
 * 75 stopped in time by leaving what was in hand uncommitted (the bus
 * redelivers it: nothing acknowledged is lost); 1 a failure, or the timeout
 * reached all the same; 130 a second signal (after the duplicate window).
 */
export function closeOnSignals(app: INestApplicationContext, config: ColdchainConfig, name: string): void {
  const logger = new Logger(name);
  let closingSince: number | undefined;
  const stop = (signal: NodeJS.Signals): void => {
    if (closingSince !== undefined) {
      if (Date.now() - closingSince < DUPLICATE_SIGNAL_WINDOW_MS) return;
      logger.warn(`${signal} again: exiting now`);
      process.exit(130);
    }
    closingSince = Date.now();
    shutdownBudget.start(config.SHUTDOWN_TIMEOUT_MS, closingSince);
    logger.log(`${signal}: draining and stopping within ${config.SHUTDOWN_TIMEOUT_MS} ms`);
    const timer = setTimeout(() => {
      logger.error(
        `graceful stop took over ${config.SHUTDOWN_TIMEOUT_MS} ms: exiting; ` +
          'what was not committed is redelivered at restart',
      );
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    app.close().then(
      () => {
        const cut = shutdownBudget.cutShort;
        if (cut.length === 0) {
          logger.log(`stopped cleanly in ${Date.now() - closingSince!} ms`);
          process.exit(0);
        }
        logger.warn(
          `stopped in ${Date.now() - closingSince!} ms, within the ${config.SHUTDOWN_TIMEOUT_MS} ms budget, ` +
            `drain cut short (${cut.join('; ')}): what was not committed is redelivered at restart`,
        );
        process.exit(EXIT_DRAIN_CUT_SHORT);
      },
      (err: unknown) => {
        logger.error(`stop failed: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/**
 * Makes DATA_DIR private (0700, its files 0600) and checks its key files,
 * before any engine opens a file in it or the demo is seeded: a short key
 * file throws WeakSecretError and the boot stops with nothing half done.
 * Every process that opens DATA_DIR calls it first (bootstrapApp does).
 */
export function prepareDataDir(config: ColdchainConfig): void {
  const tightened = tightenDataDir(config.DATA_DIR);
  checkSecretFiles(config);
  if (tightened.length > 0)
    new Logger('DataDir').warn(
      `DATA_DIR made private: ${tightened.join(', ')} set to 0600 (files) / 0700 (folder); ` +
        'other users could read or enter them',
    );
}
