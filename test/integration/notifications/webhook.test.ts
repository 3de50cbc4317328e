import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '@coldchain/domain';
import {
  DeliveryError,
  WebhookChannel,
  renderAlert,
  verifyWebhookSignature,
  type OutgoingNotification,
  type WebhookBody,
} from '@coldchain/notifications';
import { criticalExcursion, renderContext } from './fixtures.js';

interface Hit {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

describe('webhook channel against a real HTTP server', () => {
  let server: Server;
  let base: string;
  const hits: Hit[] = [];
  let hang: Array<() => void> = [];
  const clock = new ManualClock(Date.UTC(2025, 2, 4, 13, 6, 0));

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hits.push({ path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
        const status = Number(/\/status\/(\d+)/.exec(req.url ?? '')?.[1] ?? 204);
        if (req.url === '/hang') {
          hang.push(() => res.destroy());
          return;
        }
        res.writeHead(status, { 'x-request-id': `req-${hits.length}` });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    hang.forEach((h) => h());
    hang = [];
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  function message(): OutgoingNotification {
    const alert = criticalExcursion();
    return {
      idempotencyKey: 'alert-1|dana|webhook',
      alert,
      recipient: { contactId: 'dana', name: 'Dana', address: 'dana' },
      rendered: renderAlert(alert, renderContext()),
    };
  }

  it('POSTs the alert as signed JSON that the receiver can verify', async () => {
    const channel = new WebhookChannel({ url: `${base}/hook`, secret: 'whsec', clock });
    const receipt = await channel.send(message());
    const hit = hits.at(-1)!;
    expect(receipt).toMatchObject({ channel: 'webhook', provider: 'webhook', status: 'http_204' });
    expect(receipt.providerMessageId).toBe(`req-${hits.length}`);
    expect(hit.headers['content-type']).toBe('application/json');
    expect(hit.headers['idempotency-key']).toBe('alert-1|dana|webhook');
    expect(hit.headers['x-coldchain-timestamp']).toBe(String(Math.floor(clock.now() / 1000)));
    const body = JSON.parse(hit.raw) as WebhookBody;
    expect(body).toMatchObject({
      type: 'coldchain.alert.v1',
      idempotencyKey: 'alert-1|dana|webhook',
      alert: { key: criticalExcursion().key, value: 9.4, bound: 8 },
      recipient: { contactId: 'dana', name: 'Dana' },
      ackUrl: 'https://coldchain.example/ack?t=signed-token',
    });
    const verdict = (secret: string, raw: string, now: number) =>
      verifyWebhookSignature({
        secret,
        rawBody: raw,
        timestampHeader: hit.headers['x-coldchain-timestamp'] as string,
        signatureHeader: hit.headers['x-coldchain-signature'] as string,
        now,
      });
    expect(verdict('whsec', hit.raw, clock.now() + 1000)).toEqual({ ok: true });
    expect(verdict('other', hit.raw, clock.now())).toEqual({ ok: false, reason: 'mismatch' });
    expect(verdict('whsec', hit.raw.replace('9.4', '5.0'), clock.now())).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verdict('whsec', hit.raw, clock.now() + 10 * 60_000)).toEqual({ ok: false, reason: 'stale' });
  });

  it.each([
    [400, false],
    [404, false],
    [410, false],
    [408, true],
    [429, true],
    [500, true],
    [503, true],
  ])('maps HTTP %i to a DeliveryError with retriable=%s', async (status, retriable) => {
    const channel = new WebhookChannel({ url: `${base}/status/${status}`, secret: 's', clock });
    const err = await channel.send(message()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ retriable, providerCode: status });
  });

  it('gives up on a receiver that does not answer within the timeout, retriably', async () => {
    const channel = new WebhookChannel({ url: `${base}/hang`, secret: 's', clock, requestTimeoutMs: 200 });
    await expect(channel.send(message())).rejects.toMatchObject({
      name: 'DeliveryError',
      retriable: true,
      providerCode: 'TimeoutError',
    });
  });

  it('treats a refused connection as retriable', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const channel = new WebhookChannel({ url: `http://127.0.0.1:${port}/`, clock });
    await expect(channel.send(message())).rejects.toMatchObject({
      retriable: true,
      providerCode: 'ECONNREFUSED',
    });
  });
});
