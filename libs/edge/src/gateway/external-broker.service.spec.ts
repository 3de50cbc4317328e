import { describe, expect, it } from '@jest/globals';
import type { IPublishPacket } from 'mqtt';
import { AckWindow } from './external-broker.service.js';

/** A message handled by the window's `handle`, settled by the test. */
interface Pending {
  topic: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

function harness(max: number) {
  const acks: number[] = [];
  const pending: Pending[] = [];
  const failures: string[] = [];
  const client = {
    connected: true,
    stream: { destroyed: false, destroy: () => (client.stream.destroyed = true) },
    _sendPacket: (p: { messageId: number }) => acks.push(p.messageId),
  };
  const window = new AckWindow(
    client,
    max,
    (topic) => new Promise<void>((resolve, reject) => pending.push({ topic, resolve, reject })),
    (topic) => failures.push(topic),
  );
  const callbacks: (Error | undefined)[] = [];
  const publish = (messageId: number, hub: string): void =>
    window.accept(
      {
        cmd: 'publish',
        qos: 1,
        messageId,
        topic: `khub/${hub}/telemetry`,
        payload: Buffer.from('{}'),
      } as IPublishPacket,
      (err) => callbacks.push(err),
    );
  const tick = () => new Promise((r) => setImmediate(r));
  return { acks, pending, failures, client, window, callbacks, publish, tick };
}

describe('AckWindow', () => {
  it('hands different hubs over at once and acknowledges in arrival order, each once handled', async () => {
    const h = harness(8);
    h.publish(1, 'a');
    h.publish(2, 'b');
    h.publish(3, 'c');
    await h.tick();
    expect(h.pending.map((p) => p.topic)).toEqual([
      'khub/a/telemetry',
      'khub/b/telemetry',
      'khub/c/telemetry',
    ]);
    expect(h.callbacks).toHaveLength(3); // mqtt.js went on reading
    h.pending[2].resolve();
    h.pending[1].resolve();
    await h.tick();
    expect(h.acks).toEqual([]); // 1 is not handled yet: no PUBACK may overtake it
    h.pending[0].resolve();
    await h.tick();
    expect(h.acks).toEqual([1, 2, 3]);
    expect(h.window.inFlight).toBe(0);
  });

  it("hands a hub's next message over only after its previous one", async () => {
    const h = harness(8);
    h.publish(1, 'a');
    h.publish(2, 'a');
    await h.tick();
    expect(h.pending).toHaveLength(1);
    h.pending[0].resolve();
    await h.tick();
    await h.tick();
    expect(h.pending).toHaveLength(2);
  });

  it('drops the connection on a failure, acknowledging neither it nor what follows, and never hands over what waited', async () => {
    const h = harness(8);
    h.publish(1, 'a');
    h.publish(2, 'a');
    h.publish(3, 'b');
    await h.tick();
    h.pending[1].resolve(); // b
    h.pending[0].reject(new Error('bus away'));
    await h.tick();
    await h.tick();
    expect(h.failures).toEqual(['khub/a/telemetry']);
    expect(h.client.stream.destroyed).toBe(true);
    expect(h.acks).toEqual([]);
    expect(h.pending).toHaveLength(2); // a's second message was not handed over
  });

  it('stops reading when full and reads on once a PUBACK frees a place', async () => {
    const h = harness(2);
    h.publish(1, 'a');
    h.publish(2, 'b');
    expect(h.callbacks).toHaveLength(1);
    await h.tick();
    h.pending[0].resolve();
    await h.tick();
    expect(h.acks).toEqual([1]);
    expect(h.callbacks).toHaveLength(2);
  });
});
