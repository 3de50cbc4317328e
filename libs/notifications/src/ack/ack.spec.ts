import { describe, expect, it } from '@jest/globals';
import { ackCodeFor, parseSmsReply, parseVoiceDigits } from './ack-reply.js';
import { createAckLink, createAckToken, verifyAckToken } from './ack-link.js';

const NOW = Date.UTC(2025, 2, 4, 13, 0);

describe('acknowledgement links', () => {
  it('verifies a link it signed and returns the claim until it expires', () => {
    const link = createAckLink({
      secret: 'k1',
      publicBaseUrl: 'https://cc.example/app',
      alertKey: 'a:1',
      contactId: 'c-1',
      now: NOW,
      ttlMs: 60_000,
    });
    expect(link.startsWith('https://cc.example/app/ack?token=')).toBe(true);
    const token = new URL(link).searchParams.get('token')!;
    expect(verifyAckToken('k1', token, NOW + 59_999)).toEqual({
      ok: true,
      claim: { alertKey: 'a:1', contactId: 'c-1', expiresAt: NOW + 60_000 },
    });
    expect(verifyAckToken('k1', token, NOW + 60_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    ['another secret', (t: string) => ({ secret: 'k2', token: t }), 'bad_signature'],
    [
      'a payload swapped for another alert',
      (t: string) => ({ secret: 'k1', token: swapPayload(t) }),
      'bad_signature',
    ],
    ['garbage', () => ({ secret: 'k1', token: 'not a token' }), 'malformed'],
    ['a missing mac', (t: string) => ({ secret: 'k1', token: t.split('.')[0] }), 'malformed'],
  ])('refuses a token checked with %s', (_case, mutate, reason) => {
    const token = createAckToken('k1', { alertKey: 'a:1', contactId: 'c-1', expiresAt: NOW + 1000 });
    const { secret, token: t } = mutate(token);
    expect(verifyAckToken(secret, t, NOW)).toEqual({ ok: false, reason });
  });

  it('accepts tokens signed with a secret being rotated out', () => {
    const token = createAckToken('old', { alertKey: 'a', contactId: 'c', expiresAt: NOW + 1000 });
    expect(verifyAckToken(['new', 'old'], token, NOW).ok).toBe(true);
  });
});

function swapPayload(token: string): string {
  const other = createAckToken('k1', { alertKey: 'a:2', contactId: 'c-1', expiresAt: NOW + 1000 });
  return `${other.split('.')[0]}.${token.split('.')[1]}`;
}

describe('SMS acknowledgement code', () => {
  it('is four digits, stable for (alert, contact) and differs between contacts', () => {
    const code = ackCodeFor('s', 'alert-1', 'dana');
    expect(code).toMatch(/^\d{4}$/);
    expect(ackCodeFor('s', 'alert-1', 'dana')).toBe(code);
    const others = new Set(Array.from({ length: 50 }, (_, i) => ackCodeFor('s', 'alert-1', `c${i}`)));
    expect(others.size).toBeGreaterThan(45);
  });
});

describe('parseSmsReply', () => {
  it.each([
    ['ACK 4821', { kind: 'ack', code: '4821' }],
    ['ack 4821', { kind: 'ack', code: '4821' }],
    ['  Ack4821  ', { kind: 'ack', code: '4821' }],
    ['ACK: 4821', { kind: 'ack', code: '4821' }],
    ['ACK #4821.', { kind: 'ack', code: '4821' }],
    ['ACK-4821', { kind: 'ack', code: '4821' }],
    ['ＡＣＫ　４８２１', { kind: 'ack', code: '4821' }],
    [
      'Acknowledged 4821 moving stock to fridge B',
      { kind: 'ack', code: '4821', comment: 'moving stock to fridge B' },
    ],
    ['ACK 4821, on my way', { kind: 'ack', code: '4821', comment: 'on my way' }],
    ['ack', { kind: 'ack' }],
    ['ACK!', { kind: 'ack' }],
    ['ACK4821x', { kind: 'other', text: 'ACK4821x' }],
    ['acknowledgement pending', { kind: 'other', text: 'acknowledgement pending' }],
    ['backup fridge', { kind: 'other', text: 'backup fridge' }],
    ['STOP', { kind: 'other', text: 'STOP' }],
    ['4821', { kind: 'other', text: '4821' }],
  ])('reads %j', (body, expected) => {
    expect(parseSmsReply(body)).toEqual(expected);
  });
});

describe('parseVoiceDigits', () => {
  it.each([
    ['1', 'ack'],
    [' 1 ', 'ack'],
    ['2', 'other'],
    ['', 'other'],
    [undefined, 'other'],
  ])('reads keypad %j as %s', (digits, kind) => {
    expect(parseVoiceDigits(digits).kind).toBe(kind);
  });
});
