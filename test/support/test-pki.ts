import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEM files of a throw-away PKI, as {@link makeTestPki} writes them. */
export interface TestPki {
  /** The CA that signed the server certificate: what a client must trust. */
  ca: string;
  /** A CA that signed nothing here: trusting only it must fail the handshake. */
  otherCa: string;
  /** The server certificate, for 127.0.0.1 and localhost (CN and subjectAltName). */
  cert: string;
  /** Its private key, mode 0600 (PostgreSQL refuses a key others may read). */
  key: string;
}

/** Days the test certificates stay valid. */
const VALID_DAYS = '2';
/** EC P-256 keys: fast to make, accepted by Node, PostgreSQL and OpenSSL alike. */
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * Makes, with the `openssl` CLI, two self-signed CAs and a server certificate
 * signed by the first one, into `dir` (which must exist): the material every
 * TLS test needs to prove that a client trusting the CA gets through and one
 * trusting another CA does not.
 */
export function makeTestPki(dir: string): TestPki {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const pki: TestPki = {
    ca: join(dir, 'ca.pem'),
    otherCa: join(dir, 'other-ca.pem'),
    cert: join(dir, 'server.crt'),
    key: join(dir, 'server.key'),
  };
  for (const [pem, name] of [
    [pki.ca, 'coldchain test CA'],
    [pki.otherCa, 'someone else'],
  ])
    openssl(
      'req',
      '-x509',
      ...EC_KEY,
      '-keyout',
      `${pem}.key`,
      '-out',
      pem,
      '-days',
      VALID_DAYS,
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
  openssl('req', ...EC_KEY, '-keyout', pki.key, '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    pki.ca,
    '-CAkey',
    `${pki.ca}.key`,
    '-CAcreateserial',
    '-out',
    pki.cert,
    '-days',
    VALID_DAYS,
    '-extfile',
    'server.ext',
  );
  chmodSync(pki.key, 0o600);
  return pki;
}
