import { describe, expect, it } from '@jest/globals';
import { HttpError, type CommunicationObserver, type Transport } from '@influxdata/influxdb-client';
import { requireNoContentOnWrite } from './influx-write-transport.js';

/** A transport that answers every send with the given status, then completes. */
function answering(status: number | undefined): Transport & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    chunkCombiner: undefined as unknown as Transport['chunkCombiner'],
    request: async () => 'requested',
    iterate: () => {
      throw new Error('not used');
    },
    send(path, _body, _options, callbacks) {
      sent.push(path);
      callbacks?.responseStarted?.({}, status);
      callbacks?.complete?.();
    },
  };
}

function outcome(transport: Transport, path: string): { completed: boolean; error?: Error; status?: number } {
  const seen: { completed: boolean; error?: Error; status?: number } = { completed: false };
  const callbacks: Partial<CommunicationObserver<Uint8Array>> = {
    responseStarted: (_headers, status) => {
      seen.status = status;
    },
    complete: () => {
      seen.completed = true;
    },
    error: (error) => {
      seen.error = error;
    },
  };
  transport.send(path, 'm v=1 1', { method: 'POST' }, callbacks);
  return seen;
}

describe('requireNoContentOnWrite', () => {
  const write = '/api/v2/write?org=o&bucket=coldchain%2Fautogen&precision=ms';

  it('completes a write answered 204, passing the status on', () => {
    expect(outcome(requireNoContentOnWrite(answering(204)), write)).toEqual({ completed: true, status: 204 });
  });

  it.each([200, 201, undefined])('turns a write answered %s into an error instead of a success', (status) => {
    const seen = outcome(requireNoContentOnWrite(answering(status)), write);
    expect(seen.completed).toBe(false);
    expect(seen.error).toBeInstanceOf(HttpError);
    expect(seen.error?.message).toContain('HTTP 204 expected');
  });

  it('leaves other paths (ping, query) and request() untouched', async () => {
    const inner = answering(200);
    const strict = requireNoContentOnWrite(inner);
    expect(outcome(strict, '/query')).toEqual({ completed: true, status: 200 });
    await expect(strict.request('/ping', '', { method: 'GET' })).resolves.toBe('requested');
    expect(inner.sent).toEqual(['/query']);
  });
});
