/**
 * The pipeline benchmark's load generator, run as its own process so that its
 * CPU is measured apart from the stack's: the firmware simulator's fleet
 * (`startFleet`, real MQTT, QoS 1, store-and-forward) against the gateway.
 * Speaks to its parent (bench/pipeline.bench.ts) over IPC:
 *   ← { cmd: 'start', brokerUrl, hubs, intervalMs }  → { kind: 'started', connectMs }
 *   ← { cmd: 'stats' }                               → { kind: 'stats', stats }
 *   ← { cmd: 'stop' }                                → { kind: 'stopped', stats }
 * One fleet at a time; exits when the parent goes away.
 */
import { startFleet, type Fleet, type FleetHubSpec, type FleetStats } from '@coldchain/firmware-sim';

export type GeneratorCommand =
  | { cmd: 'start'; brokerUrl: string; hubs: FleetHubSpec[]; intervalMs: number }
  | { cmd: 'stats' }
  | { cmd: 'stop' };

export type GeneratorReply =
  | { kind: 'started'; connectMs: number }
  | { kind: 'stats'; stats: FleetStats }
  | { kind: 'stopped'; stats: FleetStats }
  | { kind: 'error'; message: string };

let fleet: Fleet | undefined;

const reply = (r: GeneratorReply): void => {
  process.send?.(r);
};

async function handle(msg: GeneratorCommand): Promise<void> {
  switch (msg.cmd) {
    case 'start': {
      const t0 = performance.now();
      fleet = await startFleet({
        brokerUrl: msg.brokerUrl,
        hubs: msg.hubs,
        publishIntervalMs: msg.intervalMs,
        seed: 7,
        log: (line) => console.error(`[generator] ${line}`),
      });
      reply({ kind: 'started', connectMs: Math.round(performance.now() - t0) });
      return;
    }
    case 'stats':
      reply({ kind: 'stats', stats: fleet!.stats() });
      return;
    case 'stop': {
      const f = fleet!;
      fleet = undefined;
      await f.stop();
      // After stop: `buffered` is what the hubs still held (never acknowledged, so not the platform's to lose).
      reply({ kind: 'stopped', stats: f.stats() });
      return;
    }
  }
}

process.on('message', (msg) => {
  handle(msg as GeneratorCommand).catch((err: unknown) =>
    reply({ kind: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
