import { ColdchainError } from '@coldchain/errors';

/** A key file in DATA_DIR is too short to be a key; the process must not start. Not retriable. */
export class WeakSecretError extends ColdchainError {
  constructor(
    readonly file: string,
    readonly envKey: string,
    readonly bytes: number,
    minBytes: number,
  ) {
    super(
      `${file} holds ${bytes} bytes of key, expected at least ${minBytes} bytes: set ${envKey} ` +
        `(openssl rand -hex 32), or delete the file to have a new key generated`,
      { code: 'weak_secret', retriable: false },
    );
  }
}
