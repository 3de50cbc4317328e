/**
 * The benchmark's broker, run as its own process (so that its CPU is not the
 * simulator's): aedes on 127.0.0.1, no authentication, counting what arrives
 * and keeping nothing. Speaks to its parent over IPC:
 *   → { port }                           once listening
 *   ← 'stats'  → { telemetry, telemetryBytes, status, clients, cpuMs }
 *   ← 'close'  → exits after closing
 */
import { startTestBroker } from '@coldchain/firmware-sim';

const broker = await startTestBroker({ record: false });
const cpu0 = process.cpuUsage();
process.send?.({ port: broker.port });
process.on('message', (msg) => {
  if (msg === 'stats') {
    const cpu = process.cpuUsage(cpu0);
    process.send?.({
      ...broker.counts,
      clients: broker.connectedClients(),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    });
  } else if (msg === 'close') {
    void broker.close().then(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
