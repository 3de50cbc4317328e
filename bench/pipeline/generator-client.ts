import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import type { FleetHubSpec } from '@coldchain/firmware-sim';
import type { GeneratorCommand, GeneratorReply } from './generator.js';
import { adopt } from '../support/processes.js';

/**
 * The load generator's CPU priority (nice, 19 = lowest). The simulated hubs stand for devices in
 * trucks and warehouses, which do not take the platform's CPU; on the 2-core bench machine they do,
 * about a fifth of a core at 20,000 readings/s. At the lowest priority they get what the stack
 * leaves, and the benches report what they really offered (acknowledged readings/s), so a
 * generator that could not keep up shows. At 20,000 readings/s on the 2-core machine, nice 19
 * took the alert p99 of `npm run bench:notify` from 1.1–1.4 s to 0.5–0.6 s while the fleet
 * still offered 19,889 readings/s.
 */
export const GENERATOR_NICE = 19;

/**
 * The pipeline benchmark's load generator (bench/pipeline/generator.ts: the
 * firmware simulator's fleet over real MQTT, QoS 1) as a child process of its
 * own, driven over its IPC protocol: one fleet at a time.
 */
export class GeneratorClient {
  readonly child: ChildProcess;
  private waiting?: { kind: GeneratorReply['kind']; resolve: (r: GeneratorReply) => void };
  private failure?: (err: Error) => void;

  /**
   * `distBench`: dist/bench, where pipeline/generator.js was built. `nice`: the generator's CPU
   * priority (`GENERATOR_NICE`).
   */
  constructor(distBench: string, nice = GENERATOR_NICE) {
    this.child = adopt(
      fork(join(distBench, 'pipeline', 'generator.js'), [], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        execArgv: [],
      }),
    );
    if (nice !== 0) setPriority(this.child.pid!, nice);
    this.child.on('message', (m) => {
      const r = m as GeneratorReply;
      if (r.kind === 'error') this.failure?.(new Error(`generator: ${r.message}`));
      else if (this.waiting?.kind === r.kind) this.waiting.resolve(r);
    });
  }

  private ask<K extends GeneratorReply['kind']>(
    cmd: GeneratorCommand,
    kind: K,
    timeoutMs: number,
  ): Promise<Extract<GeneratorReply, { kind: K }>> {
    return new Promise((res, rej) => {
      const timer = setTimeout(
        () => rej(new Error(`generator: no ${kind} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const done = (fn: () => void): void => {
        clearTimeout(timer);
        this.waiting = undefined;
        this.failure = undefined;
        fn();
      };
      this.waiting = { kind, resolve: (r) => done(() => res(r as Extract<GeneratorReply, { kind: K }>)) };
      this.failure = (err) => done(() => rej(err));
      this.child.send(cmd);
    });
  }

  start(brokerUrl: string, hubs: FleetHubSpec[], intervalMs: number, timeoutMs: number) {
    return this.ask({ cmd: 'start', brokerUrl, hubs, intervalMs }, 'started', timeoutMs);
  }

  stats() {
    return this.ask({ cmd: 'stats' }, 'stats', 10_000);
  }

  stop() {
    return this.ask({ cmd: 'stop' }, 'stopped', 60_000);
  }
}
