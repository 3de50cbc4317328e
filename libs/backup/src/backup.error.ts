import { ColdchainError } from '@coldchain/errors';

/**
 * A backup, verify or restore refused or failed. `retriable` says whether the
 * same command may succeed later (an engine down) or never will as given (no
 * key, a wrong key, an altered archive, a non-empty target without --force).
 */
export class BackupError extends ColdchainError {
  constructor(message: string, options: { code: BackupErrorCode; retriable: boolean; cause?: unknown }) {
    super(message, options);
  }
}

/** The stable codes of {@link BackupError}. */
export type BackupErrorCode =
  | 'backup_no_key'
  | 'backup_archive_missing'
  | 'backup_archive_invalid'
  | 'backup_target_not_empty'
  | 'backup_engine_failed';
