import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { DEMO_TENANT } from '../../apps/platform/src/demo-tenant.js';
import { LiveFeedHost } from '@coldchain/http-api';
import { seedUser } from '../support/api-users.js';
import { ensureInfra } from '../support/infra.js';
import { privateSchema } from '../support/pg-schema.js';
import { startPlatform, type RunningPlatform } from '../support/platform.js';
import { ShiftedClock } from '../support/shifted-clock.js';

/**
 * Attack: a live stream (SSE) used to run for ACCESS_TOKEN_TTL_SECONDS from
 * connect time whatever happened to its session: after logout, a disabling or
 * a password change, whoever held the connection kept receiving the tenant's
 * readings and alerts. Now it ends at once when this API process ends the
 * session, within the re-validation interval when another process does, and
 * at the token's expiry. Driven with real HTTP streaming (fetch); each test
 * awaits the stream's end, so a stream that outlives its session fails the
 * test by its timeout.
 */

const STREAM_END_TIMEOUT_MS = 30_000;

interface OpenStream {
  /** Resolves when the server ends the stream (or the connection breaks). */
  ended: Promise<'ended' | 'broken'>;
  close(): void;
}

/** Opens the SSE stream with `accessToken` and waits for its first frame (the stream is registered by then). */
async function openStream(httpUrl: string, accessToken: string): Promise<OpenStream> {
  const abort = new AbortController();
  const res = await fetch(`${httpUrl}/api/v1/stream?access_token=${accessToken}`, { signal: abort.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('retry:')) {
    const chunk = await reader.read();
    if (chunk.done) throw new Error('the stream ended before its first frame');
    text += decoder.decode(chunk.value, { stream: true });
  }
  const ended = (async (): Promise<'ended' | 'broken'> => {
    try {
      for (;;) if ((await reader.read()).done) return 'ended';
    } catch {
      return 'broken';
    }
  })();
  return { ended, close: () => abort.abort() };
}

async function call(
  httpUrl: string,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${httpUrl}${path}`, {
    method,
    headers: {
      ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function login(httpUrl: string, email: string, password: string): Promise<string> {
  const res = await call(httpUrl, 'POST', '/api/v1/auth/login', undefined, { email, password });
  expect(res.status).toBe(200);
  return res.body.accessToken as string;
}

describe('live stream and the end of its session: one API process (SQLite)', () => {
  const clock = new ShiftedClock();
  let platform: RunningPlatform;
  let owner: string;
  const open: OpenStream[] = [];

  beforeAll(async () => {
    platform = await startPlatform({ LOGIN_RATE_PER_MINUTE: '100000' }, { clock });
    const { email, password } = platform.creds.users[0];
    owner = await login(platform.httpUrl, email, password);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await platform.close();
  });

  async function streamOf(token: string): Promise<OpenStream> {
    const s = await openStream(platform.httpUrl, token);
    open.push(s);
    return s;
  }

  it(
    'ends the stream of a session at its logout, and only that one',
    async () => {
      const user = await seedUser(platform, { tenantId: DEMO_TENANT.id, role: 'viewer' });
      const [leaving, staying] = [
        await login(platform.httpUrl, user.email, user.password),
        await login(platform.httpUrl, user.email, user.password),
      ];
      const doomed = await streamOf(leaving);
      await streamOf(staying);
      expect((await call(platform.httpUrl, 'POST', '/api/v1/auth/logout', leaving)).status).toBe(204);
      expect(await doomed.ended).toBe('ended');
      // The first test: the other session's stream is the only one the process still holds.
      expect(platform.app.get(LiveFeedHost).sessions.size).toBe(1);
      expect((await fetch(`${platform.httpUrl}/api/v1/stream?access_token=${leaving}`)).status).toBe(401);
    },
    STREAM_END_TIMEOUT_MS,
  );

  it(
    'ends the streams of a user an owner disables',
    async () => {
      const user = await seedUser(platform, { tenantId: DEMO_TENANT.id, role: 'operator' });
      const stream = await streamOf(await login(platform.httpUrl, user.email, user.password));
      const disabled = await call(platform.httpUrl, 'PATCH', `/api/v1/users/${user.id}`, owner, {
        disabled: true,
      });
      expect(disabled.status).toBe(200);
      expect(await stream.ended).toBe('ended');
    },
    STREAM_END_TIMEOUT_MS,
  );

  it(
    'ends the other sessions’ streams when the user changes the password',
    async () => {
      const user = await seedUser(platform, { tenantId: DEMO_TENANT.id, role: 'viewer' });
      const elsewhere = await streamOf(await login(platform.httpUrl, user.email, user.password));
      const here = await login(platform.httpUrl, user.email, user.password);
      const changed = await call(platform.httpUrl, 'POST', '/api/v1/auth/change-password', here, {
        currentPassword: user.password,
        newPassword: `a new password ${randomBytes(4).toString('hex')}`,
      });
      expect(changed.status).toBe(204);
      expect(await elsewhere.ended).toBe('ended');
    },
    STREAM_END_TIMEOUT_MS,
  );

  it(
    'ends a stream when its access token expires (time driven by the injected clock)',
    async () => {
      const user = await seedUser(platform, { tenantId: DEMO_TENANT.id, role: 'viewer' });
      const token = await login(platform.httpUrl, user.email, user.password);
      const stream = await streamOf(token);
      clock.advance(platform.config.ACCESS_TOKEN_TTL_SECONDS * 1000);
      expect(await stream.ended).toBe('ended');
      expect((await fetch(`${platform.httpUrl}/api/v1/stream?access_token=${token}`)).status).toBe(401);
    },
    STREAM_END_TIMEOUT_MS,
  );

  it(
    'refuses a stream without a valid token, and keeps serving others',
    async () => {
      expect((await fetch(`${platform.httpUrl}/api/v1/stream`)).status).toBe(400);
      expect((await fetch(`${platform.httpUrl}/api/v1/stream?access_token=not.a.token`)).status).toBe(401);
      const { email, password } = platform.creds.users[0];
      const stream = await streamOf(await login(platform.httpUrl, email, password));
      stream.close();
      expect(await stream.ended).toBe('broken');
    },
    STREAM_END_TIMEOUT_MS,
  );
});

describe('live stream and the end of its session: two API processes on one PostgreSQL', () => {
  const schema = privateSchema('sse');
  let a: RunningPlatform;
  let b: RunningPlatform;
  const open: OpenStream[] = [];

  beforeAll(async () => {
    const { databaseUrl } = await ensureInfra(['postgres']);
    schema.use(databaseUrl);
    const env = {
      METADATA_STORE: 'postgres',
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema.name,
      LOGIN_RATE_PER_MINUTE: '100000',
      // Processes behind one load balancer share the key of the access tokens.
      JWT_SECRET: randomBytes(32).toString('hex'),
    };
    a = await startPlatform(env);
    b = await startPlatform(env);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await b?.close();
    await a?.close();
  });

  it(
    'ends a stream on one process when the session is logged out through the other',
    async () => {
      const user = await seedUser(a, { tenantId: DEMO_TENANT.id, role: 'viewer' });
      const token = await login(a.httpUrl, user.email, user.password);
      const stream = await openStream(a.httpUrl, token);
      open.push(stream);
      expect((await call(b.httpUrl, 'POST', '/api/v1/auth/logout', token)).status).toBe(204);
      expect(await stream.ended).toBe('ended');
    },
    STREAM_END_TIMEOUT_MS,
  );
});
