/**
 * @coldchain/firmware-sim — the K-HUB gateway firmware simulator as a library.
 *
 * - `startFleet`: real-time simulated hubs publishing telemetry v1 over MQTT
 *   (the embedded platform's demo fleet, the load generator).
 * - Building blocks for scenarios and tests: SimulatedHub, HubLink,
 *   VirtualTag and its ThermalModel, RoutePlayback, sample queues,
 *   schedulers (real and virtual time), the K-TAG advertisement codec.
 */
export * from './defaults.js';
export * from './errors/index.js';
export * from './random/index.js';
export * from './time/index.js';
export * from './sensors/index.js';
export * from './gps/index.js';
export * from './queue/sample-queue.js';
export * from './queue/memory-sample-queue.js';
export * from './queue/disk-sample-queue.js';
export * from './mqtt/index.js';
export * from './hub/index.js';
export * from './fleet/index.js';
export * from './codec/index.js';
export * from './scenario/scenario.schema.js';
export * from './scenario/scenario.loader.js';
export * from './scenario/scenario.runner.js';
export * from './ble/noble.types.js';
export * from './ble/noble-loader.js';
export * from './ble/k-tag-scanner.js';
export * from './ble/recorded-hci.bindings.js';
export { main as runSimCli, EXIT as SIM_EXIT_CODES, type SimReport } from './cli/main.js';
export { parseCli, USAGE as SIM_USAGE } from './cli/args.js';
export * from './testing/index.js';
