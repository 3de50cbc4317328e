import { describe, expect, it } from '@jest/globals';
import { HttpError, RequestTimedOutError } from '@influxdata/influxdb-client';
import { EngineUnavailableError, InvalidInputError, isRetriable } from '@coldchain/errors';
import { InfluxRejectedError } from './influx-rejected.error.js';
import { InfluxTelemetryStore, mapInfluxError } from './influx-telemetry-store.adapter.js';

const json = (status: number, body: object) =>
  new HttpError(status, 'x', JSON.stringify(body), undefined, 'application/json');

describe('mapInfluxError', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8086'), { code: 'ECONNREFUSED' }),
    ],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a request timeout', new RequestTimedOutError()],
    ['HTTP 500', json(500, { error: 'engine: cache-max-memory-size exceeded' })],
    ['HTTP 503', new HttpError(503, 'Service Unavailable', '<html>', undefined, 'text/html')],
    ['HTTP 429', json(429, { message: 'too many requests' })],
    [
      'HTTP 404 (database not found: an operator can create it)',
      json(404, { error: 'database not found: "x"' }),
    ],
    ['HTTP 401', json(401, { error: 'unauthorized' })],
  ])('makes %s a retriable EngineUnavailableError that keeps its cause', (_what, err) => {
    const mapped = mapInfluxError(err, 'write');
    expect(mapped).toBeInstanceOf(EngineUnavailableError);
    expect(isRetriable(mapped)).toBe(true);
    expect(mapped.cause).toBe(err);
  });

  it.each([
    ['a partial write (malformed line)', json(400, { error: 'partial write: unable to parse ...' })],
    ['a field type conflict', json(400, { error: 'partial write: field type conflict: ... dropped=1' })],
    ['a body too large', new HttpError(413, 'Request Entity Too Large', '<html>', undefined, 'text/html')],
  ])('makes %s a non-retriable InfluxRejectedError with the status and InfluxDB’s message', (_what, err) => {
    const mapped = mapInfluxError(err, 'write');
    expect(mapped).toBeInstanceOf(InfluxRejectedError);
    expect(isRetriable(mapped)).toBe(false);
    expect((mapped as InfluxRejectedError).statusCode).toBe(err.statusCode);
    expect(mapped.cause).toBe(err);
  });

  it('passes programming errors through untouched (never retried)', () => {
    const bug = new TypeError('x is not a function');
    expect(mapInfluxError(bug, 'write')).toBe(bug);
  });
});

describe('InfluxTelemetryStore configuration', () => {
  const base = {
    url: 'http://127.0.0.1:8086',
    token: 't',
    org: 'o',
    bucket: 'coldchain/autogen',
    positionsBucket: 'coldchain/positions_60d',
  };

  it('refuses a bucket that is not "<database>[/<retention policy>]"', () => {
    expect(() => new InfluxTelemetryStore({ ...base, positionsBucket: 'coldchain/' })).toThrow(
      InvalidInputError,
    );
  });

  it('is not healthy before start, and refuses a reading the line protocol cannot carry before sending anything', async () => {
    const store = new InfluxTelemetryStore(base);
    expect(store.isHealthy()).toBe(false);
    await expect(
      store.write(
        [{ tenantId: 't', tag: 'AA', hub: 'h', ts: 1, temperature: Number.NaN, receivedAt: 1 }],
        [],
      ),
    ).rejects.toThrow(InvalidInputError);
    await store.close();
  });
});
