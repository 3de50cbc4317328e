import { describe, expect, it } from '@jest/globals';
import { EngineUnavailableError, InvalidInputError, NotFoundError } from '@coldchain/errors';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUniqueViolation, toStoreError } from './postgres-errors.js';
import { checkPostgresTlsFiles, parseBigIntAsNumber } from './postgres-pool.js';
import { PostgresTlsError } from './postgres-tls.error.js';

/** An error shaped as pg-protocol's DatabaseError: what the server sends. */
function serverError(code: string, message: string, detail?: string): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR', detail });
}

/** An error shaped as Node's system errors (net, dns). */
function systemError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, errno: -111, syscall: 'connect' });
}

describe('toStoreError', () => {
  it.each([
    ['connection failure', serverError('08006', 'connection failure')],
    ['too many connections', serverError('53300', 'sorry, too many clients already')],
    ['statement timeout', serverError('57014', 'canceling statement due to statement timeout')],
    ['server shutting down', serverError('57P01', 'terminating connection due to administrator command')],
    ['deadlock', serverError('40P01', 'deadlock detected')],
    ['serialization failure', serverError('40001', 'could not serialize access')],
    ['refused connection', systemError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1')],
    ['broken pipe (5 capitals, yet no SQLSTATE)', systemError('EPIPE', 'write EPIPE')],
    ['dropped connection', new Error('Connection terminated unexpectedly')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
  ])('maps %s to a retriable EngineUnavailableError keeping the cause', (_, err) => {
    const mapped = toStoreError(err);
    expect(mapped).toBeInstanceOf(EngineUnavailableError);
    expect(mapped).toMatchObject({ retriable: true, cause: err });
  });

  it.each([
    ['a duplicate key', serverError('23505', 'duplicate key value', 'Key (id)=(demo) already exists.')],
    ['an unknown tenant', serverError('23503', 'violates foreign key constraint', 'Key (tenant_id)=(x)')],
    ['a value out of range', serverError('22003', 'integer out of range')],
  ])('maps %s to a non-retriable InvalidInputError naming the value', (_, err) => {
    const mapped = toStoreError(err);
    expect(mapped).toBeInstanceOf(InvalidInputError);
    expect(mapped).toMatchObject({ retriable: false, message: expect.stringContaining(err.message) });
  });

  it('keeps the server detail in the message', () => {
    const mapped = toStoreError(
      serverError('23505', 'duplicate key value', 'Key (id)=(demo) already exists.'),
    );
    expect((mapped as Error).message).toBe('duplicate key value: Key (id)=(demo) already exists.');
  });

  it.each([
    ['an SQL syntax error', serverError('42601', 'syntax error at or near "SELEC"')],
    ['an unknown table', serverError('42P01', 'relation "nope" does not exist')],
    ['a wrong password', serverError('28P01', 'password authentication failed')],
    ['a TypeError', new TypeError('x is not a function')],
  ])('returns %s unchanged: retrying the same call cannot help', (_, err) => {
    expect(toStoreError(err)).toBe(err);
  });

  it("passes the platform's own errors through", () => {
    const err = new NotFoundError('tenant');
    expect(toStoreError(err)).toBe(err);
  });

  it('tells a unique violation from other constraint errors', () => {
    expect(isUniqueViolation(serverError('23505', 'duplicate'))).toBe(true);
    expect(isUniqueViolation(serverError('23503', 'foreign key'))).toBe(false);
    expect(isUniqueViolation(systemError('ECONNRESET', 'reset'))).toBe(false);
  });
});

describe('parseBigIntAsNumber', () => {
  it('reads epoch milliseconds beyond 32 bits exactly', () => {
    expect(parseBigIntAsNumber('1767225600123')).toBe(1_767_225_600_123);
    expect(parseBigIntAsNumber('-5')).toBe(-5);
  });

  it('refuses a value beyond 2^53 rather than rounding it', () => {
    expect(() => parseBigIntAsNumber('9007199254740993')).toThrow(RangeError);
  });
});

describe('TLS failures', () => {
  it.each([
    ['an untrusted certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'],
    ['a self-signed one', 'SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'],
    ['an expired one', 'CERT_HAS_EXPIRED', 'certificate has expired'],
    ['another host', 'ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"],
  ])('maps %s to a PostgresTlsError that retrying cannot fix, naming sslrootcert', (_, code, message) => {
    const cause = Object.assign(new Error(message), { code });
    const mapped = toStoreError(cause);
    expect(mapped).toBeInstanceOf(PostgresTlsError);
    expect(mapped).toMatchObject({ retriable: false, code: 'postgres_tls', cause });
    expect((mapped as Error).message).toContain(code);
    expect((mapped as Error).message).toContain('sslrootcert');
  });

  it('maps a server without TLS, when DATABASE_URL requires it, to a PostgresTlsError', () => {
    expect(toStoreError(new Error('The server does not support SSL connections'))).toMatchObject({
      code: 'postgres_tls',
      retriable: false,
    });
  });

  it('checks the certificate files DATABASE_URL names, and passes a URL that names none', () => {
    const ca = join(mkdtempSync(join(tmpdir(), 'cc-tls-')), 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n');
    expect(() =>
      checkPostgresTlsFiles(`postgres://u:p@db:5432/x?sslmode=verify-full&sslrootcert=${ca}`),
    ).not.toThrow();
    expect(() => checkPostgresTlsFiles('postgres://u:p@db:5432/x')).not.toThrow();
    expect(() =>
      checkPostgresTlsFiles('postgres://u:p@db:5432/x?sslmode=verify-full&sslrootcert=/nope/ca.pem'),
    ).toThrow(
      expect.objectContaining({
        code: 'postgres_tls',
        message: expect.stringContaining('sslrootcert /nope/ca.pem'),
      }),
    );
    expect(() => checkPostgresTlsFiles('postgres://u:p@db:5432/x?sslkey=/nope/key.pem')).toThrow(
      /sslkey \/nope\/key\.pem/,
    );
  });
});
