import { describe, expect, it } from '@jest/globals';
import { EngineUnavailableError, InvalidInputError, NotFoundError } from '@coldchain/errors';
import { isUniqueViolation, toStoreError } from './postgres-errors.js';
import { parseBigIntAsNumber } from './postgres-pool.js';

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
