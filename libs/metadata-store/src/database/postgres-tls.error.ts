import { ColdchainError } from '@coldchain/errors';

/**
 * TLS to PostgreSQL failed in a way only a change of configuration can cure:
 * the server's certificate is not trusted by the CA that DATABASE_URL names
 * (`sslrootcert`), names another host, has expired; the server does not
 * offer TLS; or a certificate file cannot be read. Not retriable.
 */
export class PostgresTlsError extends ColdchainError {
  constructor(message: string, cause?: unknown) {
    super(`postgres metadata store: TLS ${message}`, { code: 'postgres_tls', retriable: false, cause });
  }
}
