import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { StoredReading } from '@coldchain/domain';
import { EngineUnavailableError, isRetriable } from '@coldchain/errors';
import { InfluxRejectedError, InfluxTelemetryStore, type StoredPosition } from '@coldchain/telemetry-store';
import { settledWithin } from './influx-test-helpers.js';

/**
 * How the adapter reports the failures a real InfluxDB (or the proxy in
 * front of it) produces on the write path, against a scripted HTTP server on
 * 127.0.0.1 that speaks the v2 write API: connection resets (the ECONNRESET
 * trap of INFRA_NOTES), 5xx, 400 partial writes, points beyond retention,
 * requests left unanswered. The real engine's own outage is covered in
 * influx-telemetry-store.test.ts.
 */

interface WriteRequest {
  bucket: string;
  precision: string;
  gzip: boolean;
  lines: string[];
}

type Answer =
  | { status: number; json?: object }
  | 'reset' // destroy the socket without an answer, as an overloaded proxy does
  | 'hold'; // never answer

class ScriptedInflux {
  readonly requests: WriteRequest[] = [];
  private readonly held: ServerResponse[] = [];
  private server!: Server;
  url = '';
  /** Decides the answer to each write request (by default 204). */
  script: (request: WriteRequest, index: number) => Answer = () => ({ status: 204 });

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    this.url = `http://127.0.0.1:${address.port}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname === '/ping') {
      res.writeHead(204).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const gzip = req.headers['content-encoding'] === 'gzip';
    const request: WriteRequest = {
      bucket: url.searchParams.get('bucket') ?? '',
      precision: url.searchParams.get('precision') ?? '',
      gzip,
      lines: (gzip ? gunzipSync(raw) : raw).toString('utf8').split('\n'),
    };
    const index = this.requests.push(request) - 1;
    const answer = this.script(request, index);
    if (answer === 'reset') {
      req.socket.destroy();
    } else if (answer === 'hold') {
      this.held.push(res);
    } else if (answer.json === undefined) {
      res.writeHead(answer.status).end();
    } else {
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.json));
    }
  }

  reset(): void {
    this.requests.length = 0;
    this.script = () => ({ status: 204 });
    for (const res of this.held.splice(0)) res.destroy();
  }

  async stop(): Promise<void> {
    this.reset();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

function batch(tenantId: string, count: number): StoredReading[] {
  return Array.from({ length: count }, (_, i) => ({
    tenantId,
    tag: `AC:23:3F:00:00:${String(i % 100).padStart(2, '0')}`,
    hub: '490154203237518',
    ts: T0 + i,
    temperature: 4,
    receivedAt: T0 + i,
  }));
}

const tenantOf = (request: WriteRequest): string => /,tenant=([^ ,]+)/.exec(request.lines[0])?.[1] ?? '';

let influx: ScriptedInflux;
const stores: InfluxTelemetryStore[] = [];

function store(
  options: Partial<ConstructorParameters<typeof InfluxTelemetryStore>[0]> = {},
): InfluxTelemetryStore {
  const s = new InfluxTelemetryStore({
    url: influx.url,
    token: 'dev-token',
    org: 'coldchain',
    bucket: 'coldchain/autogen',
    positionsBucket: 'coldchain/positions_60d',
    ...options,
  });
  stores.push(s);
  return s;
}

beforeAll(async () => {
  influx = new ScriptedInflux();
  await influx.start();
});
afterEach(async () => {
  influx.reset();
  await Promise.all(stores.splice(0).map((s) => s.close()));
  jest.restoreAllMocks();
});
afterAll(async () => {
  await influx.stop();
});

describe('InfluxTelemetryStore write failures (scripted InfluxDB)', () => {
  it('rejects the call whose request was reset (the ECONNRESET trap) while a concurrent call succeeds, and logs nothing itself', async () => {
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    influx.script = (request) => (tenantOf(request) === 'unlucky' ? 'reset' : { status: 204 });
    const s = store();

    const [unlucky, lucky] = await Promise.allSettled([
      s.write(batch('unlucky', 1_000), []),
      s.write(batch('lucky', 1_000), []),
    ]);

    expect(unlucky.status).toBe('rejected');
    const error = (unlucky as PromiseRejectedResult).reason as Error;
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect(isRetriable(error)).toBe(true);
    expect((error.cause as { code?: string }).code).toBe('ECONNRESET');
    expect(lucky).toEqual({ status: 'fulfilled', value: { written: 1_000 } });
    // The client's own "Write to InfluxDB failed" console log is silenced: the rejection is the report.
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('sends a large call as bounded requests, each once, in ms precision, and rejects it if any one fails', async () => {
    influx.script = (_request, index) =>
      index === 1 ? { status: 503, json: { error: 'engine overloaded' } } : { status: 204 };
    const s = store({ maxLinesPerRequest: 5_000 });
    const readings = batch('t-large', 12_000);

    const failure = await s.write(readings, []).then(
      () => undefined,
      (err: unknown) => err as Error,
    );

    expect(failure).toBeInstanceOf(EngineUnavailableError);
    expect(failure?.message).toContain('HTTP 503 engine overloaded');
    expect(influx.requests.map((r) => r.lines.length).sort()).toEqual([2_000, 5_000, 5_000]);
    expect(influx.requests.every((r) => r.bucket === 'coldchain/autogen' && r.precision === 'ms')).toBe(true);
    // Every line sent exactly once: no retry from the client, nothing parked for later.
    const sent = influx.requests.flatMap((r) => r.lines);
    expect(new Set(sent).size).toBe(12_000);
    expect(s.isHealthy()).toBe(false);

    influx.script = () => ({ status: 204 });
    await expect(s.write(readings, [])).resolves.toEqual({ written: 12_000 });
    expect(s.isHealthy()).toBe(true);
  });

  it('rejects a partial write (InfluxDB refused some lines) as a non-retriable InfluxRejectedError', async () => {
    influx.script = () => ({
      status: 400,
      json: {
        error:
          'partial write: field type conflict: input field "door" is type float, already exists as type integer dropped=1',
      },
    });
    const s = store();
    const failure = await s.write(batch('t-conflict', 10), []).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(failure).toBeInstanceOf(InfluxRejectedError);
    expect(isRetriable(failure)).toBe(false);
    expect((failure as InfluxRejectedError).statusCode).toBe(400);
    expect(failure?.message).toContain('field type conflict');
    expect(s.isHealthy()).toBe(true); // InfluxDB answered: it is up
  });

  it.each([200, 201])(
    'rejects a write answered %s instead of 204 as retriable: durability is not confirmed',
    async (status) => {
      influx.script = () => ({ status });
      const failure = await store()
        .write(batch('t-not-204', 10), [])
        .then(
          () => undefined,
          (err: unknown) => err as Error,
        );
      expect(failure).toBeInstanceOf(EngineUnavailableError);
      expect(failure?.message).toContain(`HTTP 204 expected from a write, got ${status}`);
    },
  );

  it('takes a request whose only refusal is "points beyond retention policy", counting the dropped readings out', async () => {
    influx.script = (request) =>
      request.bucket === 'coldchain/positions_60d'
        ? { status: 400, json: { error: 'partial write: points beyond retention policy dropped=1' } }
        : { status: 400, json: { error: 'partial write: points beyond retention policy dropped=2' } };
    const position: StoredPosition = { tenantId: 't', hub: '490154203237518', lat: 1, lon: 2, fixAt: T0 };
    await expect(store().write(batch('t-old', 5), [position, position])).resolves.toEqual({ written: 3 });
  });

  it('takes the same refusal in the words of InfluxDB 1.8+ ("dropped N points outside retention policy"), counting the dropped readings out', async () => {
    const refusal = (n: number, rp: string): string =>
      `partial write: dropped ${n} points outside retention policy of duration 1440h0m0s - oldest point ` +
      `m,hub=490154203237518,tenant=t at 2026-10-07T20:58:44.048Z dropped because it violates a Retention Policy ` +
      `Lower Bound at 2026-10-08T20:58:44.049Z, newest point m,hub=490154203237518,tenant=t at ` +
      `2026-10-07T20:58:44.048Z dropped because it violates a Retention Policy Lower Bound at ` +
      `2026-10-08T20:58:44.049Z dropped=${n} for database: coldchain for retention policy: ${rp}`;
    influx.script = (request) =>
      request.bucket === 'coldchain/positions_60d'
        ? { status: 400, json: { error: refusal(1, 'positions_60d') } }
        : { status: 400, json: { error: refusal(2, 'autogen') } };
    const position: StoredPosition = { tenantId: 't', hub: '490154203237518', lat: 1, lon: 2, fixAt: T0 };
    await expect(store().write(batch('t-old-18', 5), [position, position])).resolves.toEqual({ written: 3 });
  });

  it('rejects within a bounded time when InfluxDB accepts the request and never answers, and frees the connection', async () => {
    influx.script = () => 'hold';
    const s = store({ requestTimeoutMs: 300, maxConcurrentRequests: 1 });

    const outcome = await settledWithin(s.write(batch('t-hung', 100), []), 20_000);
    expect(outcome.status).toBe('rejected');
    expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(EngineUnavailableError);

    // With one connection allowed, this write can only go out if the hung one was torn down.
    influx.script = () => ({ status: 204 });
    const after = await settledWithin(s.write(batch('t-hung', 100), []), 20_000);
    expect(after).toEqual({ status: 'fulfilled', value: { written: 100 } });
  });

  it('gzips bodies above the configured threshold, and sends the same lines', async () => {
    const s = store({ gzipThresholdBytes: 1_024 });
    await s.write(batch('t-gzip', 2_000), []);
    await s.write(batch('t-gzip', 2), []);
    expect(influx.requests.map((r) => [r.gzip, r.lines.length])).toEqual([
      [true, 2_000],
      [false, 2],
    ]);
  });

  it('refuses writes once closed, after letting the ones in flight finish', async () => {
    influx.script = () => 'hold';
    const s = store();
    const inFlight = s.write(batch('t-close', 10), []);
    while (influx.requests.length === 0) await new Promise((r) => setImmediate(r));
    const closing = s.close();
    await expect(s.write(batch('t-close', 1), [])).rejects.toMatchObject({ code: 'shutting_down' });
    influx.reset(); // the held request's socket is destroyed: the in-flight write fails, close completes
    await expect(inFlight).rejects.toBeInstanceOf(EngineUnavailableError);
    await closing;
  });
});
