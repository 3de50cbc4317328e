import type { INestApplication, INestMicroservice } from '@nestjs/common';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { BusPort } from '../bus.port.js';
import { BUS } from '../bus.tokens.js';
import { BusServer } from './bus.server.js';

const connected = new WeakMap<INestApplication, INestMicroservice>();

/**
 * Makes `app` a hybrid application whose controllers' BusEventPattern
 * handlers consume the bus of its {@link BUS} provider; the app starts them
 * with `startAllMicroservices()`, best after `init()` (see {@link BusServer}).
 * Once per app (a second call returns the first microservice: two servers
 * would subscribe every handler twice). `undefined` when the app has no bus.
 */
export function connectBusTransport(app: INestApplication): INestMicroservice | undefined {
  const existing = connected.get(app);
  if (existing) return existing;
  let bus: BusPort;
  try {
    bus = app.get<BusPort>(BUS, { strict: false });
  } catch {
    return undefined;
  }
  const microservice = app.connectMicroservice<MicroserviceOptions>({ strategy: new BusServer(bus) });
  connected.set(app, microservice);
  return microservice;
}
