import { describe, expect, it } from '@jest/globals';
import { AssignmentGate, AssignmentTracker } from './partition-assignment.js';

describe('AssignmentTracker', () => {
  it('reports added and revoked partitions between assignments of one member', () => {
    const t = new AssignmentTracker();
    expect(t.next([2, 0, 1], 'm1')).toEqual({ partitions: [0, 1, 2], added: [0, 1, 2], revoked: [] });
    expect(t.next([1, 2], 'm1')).toEqual({ partitions: [1, 2], added: [], revoked: [0] });
    expect(t.next([1, 2, 3], 'm1')).toEqual({ partitions: [1, 2, 3], added: [3], revoked: [] });
  });

  it('reloads every partition when the member rejoined under a new id (another member may have owned them)', () => {
    const t = new AssignmentTracker();
    t.next([0, 1], 'm1');
    expect(t.next([0, 1], 'm2')).toEqual({ partitions: [0, 1], added: [0, 1], revoked: [0, 1] });
  });
});

describe('AssignmentGate', () => {
  it('runs callbacks one after the other and resolves ready after the last, a failure included', async () => {
    const errors: unknown[] = [];
    const gate = new AssignmentGate((e) => errors.push(e));
    const order: string[] = [];
    gate.enqueue(async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('first');
    });
    gate.enqueue(() => {
      order.push('second');
      throw new Error('load failed');
    });
    gate.enqueue(() => void order.push('third'));
    await gate.ready();
    expect(order).toEqual(['first', 'second', 'third']);
    expect(errors).toHaveLength(1);
  });
});
