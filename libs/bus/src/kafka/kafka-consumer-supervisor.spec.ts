import { describe, expect, it, jest } from '@jest/globals';
import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { KafkaConsumerSupervisor, type ConsumerCrash } from './kafka-consumer-supervisor.js';

/** A kafkajs consumer reduced to its instrumentation events. */
function fakeConsumer() {
  const emitter = new EventEmitter();
  const consumer = {
    events: { CRASH: 'consumer.crash', GROUP_JOIN: 'consumer.group_join' },
    on: (event: string, listener: (e: unknown) => void) => emitter.on(event, listener),
  } as unknown as Consumer;
  const crash = (restart: boolean, message = 'boom') =>
    emitter.emit('consumer.crash', { payload: { error: new Error(message), groupId: 'g', restart } });
  const join = () => emitter.emit('consumer.group_join', { payload: {} });
  return { consumer, crash, join };
}

function supervised(attempts: number, restart: () => Promise<void>) {
  const fake = fakeConsumer();
  const crashes: ConsumerCrash[] = [];
  const log = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const supervisor = new KafkaConsumerSupervisor(
    fake.consumer,
    'g',
    restart,
    { initialMs: 100, maxMs: 400, attempts },
    log,
    (c) => crashes.push(c),
  );
  return { ...fake, supervisor, crashes };
}

describe('KafkaConsumerSupervisor', () => {
  it('reports a crash kafkajs restarts as degraded until the consumer rejoins, without restarting it itself', () => {
    const restart = jest.fn(() => Promise.resolve());
    const s = supervised(3, restart);
    s.crash(true, 'coordinator moved');
    expect(s.supervisor.health()).toEqual({
      state: 'degraded',
      reason: 'consumer crashed: coordinator moved',
    });
    s.join();
    expect(s.supervisor.health()).toEqual({ state: 'up' });
    expect(restart).not.toHaveBeenCalled();
    expect(s.crashes).toEqual([{ group: 'g', error: 'coordinator moved', restartBy: 'kafkajs' }]);
  });

  it('restarts a consumer kafkajs gave up on, with doubling backoff, and leaves it down past the bound', () => {
    jest.useFakeTimers();
    try {
      const restart = jest.fn(() => Promise.resolve());
      const s = supervised(2, restart);
      s.crash(false);
      expect(s.supervisor.health().state).toBe('degraded');
      jest.advanceTimersByTime(99);
      expect(restart).toHaveBeenCalledTimes(0);
      jest.advanceTimersByTime(1);
      expect(restart).toHaveBeenCalledTimes(1);
      s.crash(false);
      jest.advanceTimersByTime(199);
      expect(restart).toHaveBeenCalledTimes(1);
      jest.advanceTimersByTime(1);
      expect(restart).toHaveBeenCalledTimes(2);
      s.crash(false);
      jest.advanceTimersByTime(10_000);
      expect(restart).toHaveBeenCalledTimes(2);
      expect(s.supervisor.health()).toEqual({ state: 'down', reason: 'consumer crashed: boom' });
      s.join(); // a late join does not hide a consumer given up on
      expect(s.supervisor.health().state).toBe('down');
      expect(s.crashes.map((c) => c.restartBy)).toEqual(['supervisor', 'supervisor', 'none']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('counts crashes in a row only: a handled batch resets the bound', () => {
    jest.useFakeTimers();
    try {
      const restart = jest.fn(() => Promise.resolve());
      const s = supervised(1, restart);
      s.crash(false);
      jest.advanceTimersByTime(100);
      s.supervisor.progressed();
      s.crash(false);
      jest.advanceTimersByTime(100);
      expect(restart).toHaveBeenCalledTimes(2);
      expect(s.supervisor.health().state).toBe('degraded');
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not restart a consumer whose subscription is closing', () => {
    jest.useFakeTimers();
    try {
      const restart = jest.fn(() => Promise.resolve());
      const s = supervised(3, restart);
      s.crash(false);
      s.supervisor.stop();
      jest.advanceTimersByTime(1_000);
      expect(restart).not.toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });
});
