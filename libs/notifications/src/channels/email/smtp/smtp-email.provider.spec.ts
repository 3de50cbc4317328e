import { describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import type { NetConnectOpts, Socket } from 'node:net';
import { smtpSocketOpener, type SmtpConnect } from './smtp-email.provider.js';
import { toSmtpDeliveryError } from './smtp-error.mapper.js';

/** A socket that connects or fails when the test says so, recording how it was opened. */
class FakeSocket extends EventEmitter {
  destroyed = false;
  destroy(): this {
    this.destroyed = true;
    return this;
  }
}

function fakeConnect(): { connect: SmtpConnect; opened: NetConnectOpts[]; sockets: FakeSocket[] } {
  const opened: NetConnectOpts[] = [];
  const sockets: FakeSocket[] = [];
  const connect: SmtpConnect = (options) => {
    opened.push(options);
    const s = new FakeSocket();
    sockets.push(s);
    return s as unknown as Socket;
  };
  return { connect, opened, sockets };
}

type Outcome = { err: Error | null; socketOptions?: { connection: Socket } };

function open(opener: ReturnType<typeof smtpSocketOpener>): Promise<Outcome> {
  return new Promise((resolve) => opener({}, (err, socketOptions) => resolve({ err, socketOptions })));
}

describe('smtpSocketOpener (the SMTP pool opens its own TCP connections)', () => {
  it('opens each connection to the configured server with Nagle off and hands the open socket to nodemailer', async () => {
    const fake = fakeConnect();
    const outcome = open(smtpSocketOpener('mail.example.test', 587, 10_000, fake.connect));
    fake.sockets[0].emit('connect');

    const { err, socketOptions } = await outcome;
    expect(err).toBeNull();
    expect(socketOptions?.connection).toBe(fake.sockets[0]);
    expect(fake.opened).toEqual([
      expect.objectContaining({ host: 'mail.example.test', port: 587, noDelay: true, keepAlive: true }),
    ]);
    // Later errors belong to nodemailer's own handlers, not to the opener.
    expect(fake.sockets[0].listenerCount('error')).toBe(0);
  });

  it('passes a refused connection on with its code, so it maps to a retriable DeliveryError', async () => {
    const fake = fakeConnect();
    const outcome = open(smtpSocketOpener('127.0.0.1', 25, 10_000, fake.connect));
    fake.sockets[0].emit('error', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

    const { err, socketOptions } = await outcome;
    expect(err).toMatchObject({ code: 'ECONNREFUSED' });
    expect(socketOptions).toBeUndefined();
    expect(fake.sockets[0].destroyed).toBe(true);
    expect(toSmtpDeliveryError(err)).toMatchObject({ retriable: true, providerCode: 'ECONNREFUSED' });
  });

  it('gives up on a connection that does not open within the connection timeout (ETIMEDOUT, retriable)', async () => {
    const fake = fakeConnect();
    const { err } = await open(smtpSocketOpener('10.255.255.1', 25, 1, fake.connect));

    expect(err).toMatchObject({ code: 'ETIMEDOUT' });
    expect(fake.sockets[0].destroyed).toBe(true);
    expect(toSmtpDeliveryError(err)).toMatchObject({ retriable: true });
    // A late connect after the give-up changes nothing.
    fake.sockets[0].emit('connect');
  });
});
