import { execFile } from 'node:child_process';
import { BackupError } from '../backup.error.js';
import { BACKUP_DEFAULTS } from '../backup.defaults.js';

/**
 * Runs an engine's own tool (pg_dump, pg_restore, influxd) with `args`, no
 * shell. A failure is a retriable {@link BackupError} carrying the tool's
 * error output (credentials are passed through `env`, never `args`, so they
 * do not show in the process list or the message).
 */
export function runEngineTool(
  command: string,
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        env: { ...process.env, ...env },
        timeout: BACKUP_DEFAULTS.engineToolTimeoutMs,
        maxBuffer: BACKUP_DEFAULTS.toolOutputBytes * 16,
      },
      (error, stdout, stderr) => {
        if (error) {
          const detail = String(stderr || error.message).slice(-BACKUP_DEFAULTS.toolOutputBytes);
          reject(
            new BackupError(`${command} ${args[0] ?? ''} failed: ${detail.trim()}`, {
              code: 'backup_engine_failed',
              retriable: true,
              cause: error,
            }),
          );
          return;
        }
        resolve(stdout);
      },
    );
  });
}
