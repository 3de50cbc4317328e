import { describe, expect, it } from '@jest/globals';
import { ColdchainError, isRetriable } from './coldchain.error.js';
import { EngineUnavailableError } from './engine-unavailable.error.js';
import { InvalidInputError } from './invalid-input.error.js';
import { ShuttingDownError } from './shutting-down.error.js';

/** A Node system error as `net` raises it: an Error with a string `code`. */
function systemError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code, syscall: 'connect' });
}

describe('isRetriable: retriable only when the error says so', () => {
  it('reads the flag of the platform errors', () => {
    expect(isRetriable(new EngineUnavailableError('influxdb', 'down'))).toBe(true);
    expect(isRetriable(new ShuttingDownError('ingest'))).toBe(true);
    expect(isRetriable(new InvalidInputError('bad profile'))).toBe(false);
    expect(isRetriable(new ColdchainError('bug', { code: 'x', retriable: false }))).toBe(false);
  });

  it('treats a plain Error, a JSON encoding failure and non-Error values as not retriable', () => {
    expect(isRetriable(new Error('cannot read property of undefined'))).toBe(false);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    let encoding: unknown;
    try {
      JSON.stringify(cyclic);
    } catch (err) {
      encoding = err;
    }
    expect(encoding).toBeInstanceOf(TypeError);
    expect(isRetriable(encoding)).toBe(false);
    expect(isRetriable('boom')).toBe(false);
    expect(isRetriable(undefined)).toBe(false);
    expect(isRetriable(null)).toBe(false);
    expect(isRetriable({ status: 'error', message: 'from a Nest filter' })).toBe(false);
  });

  it('never retries programming errors', () => {
    expect(isRetriable(new TypeError('x is not a function'))).toBe(false);
    expect(isRetriable(new RangeError('invalid array length'))).toBe(false);
    expect(isRetriable(new ReferenceError('y is not defined'))).toBe(false);
    expect(isRetriable(new SyntaxError('Unexpected token'))).toBe(false);
  });

  it('retries transient network failures of Node sockets and undici', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET'])
      expect(isRetriable(systemError(code))).toBe(true);
    expect(isRetriable(systemError('SQLITE_BUSY'))).toBe(true);
    expect(isRetriable(systemError('SQLITE_CONSTRAINT_UNIQUE'))).toBe(false);
    expect(isRetriable(systemError('EACCES'))).toBe(false);
    expect(isRetriable(systemError('ERR_INVALID_ARG_TYPE'))).toBe(false);
  });

  it("follows a boolean retriable flag, as kafkajs's errors carry", () => {
    // The shape of KafkaJSError (libs/errors may not import kafkajs): an Error with `retriable`.
    const kafkaError = (retriable: boolean) =>
      Object.assign(new Error('Connection error: ECONNREFUSED'), {
        name: 'KafkaJSConnectionError',
        retriable,
      });
    expect(isRetriable(kafkaError(true))).toBe(true);
    expect(isRetriable(kafkaError(false))).toBe(false);
  });

  it('looks through wrappers to the cause', () => {
    const wrapped = new Error('write failed', {
      cause: new Error('socket', { cause: systemError('ECONNRESET') }),
    });
    expect(isRetriable(wrapped)).toBe(true);
    expect(isRetriable(new Error('write failed', { cause: new Error('bug') }))).toBe(false);
    // A flag on the outer error wins over its cause's.
    expect(isRetriable(new InvalidInputError('bad'))).toBe(false);
  });

  it('stops on a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(isRetriable(a)).toBe(false);
  });
});
