#!/usr/bin/env node
/**
 * `npm run sim -- <args>`: the K-HUB firmware simulator's command line
 * (compiled to dist/gateway-firmware-sim/src/cli.js). See --help and
 * docs/firmware-sim.md. SIGINT/SIGTERM stop the run cleanly; it still prints
 * its summary and writes its report.
 */
import { main } from './cli/main.js';

const controller = new AbortController();
let signals = 0;
const onSignal = () => {
  if (++signals > 1) process.exit(130); // a second Ctrl-C: leave now
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
process.exitCode = code;
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
// Safety net: if a library left a handle open (a BLE adapter socket), do not hang after the report.
setTimeout(() => process.exit(code), 2_000).unref();
