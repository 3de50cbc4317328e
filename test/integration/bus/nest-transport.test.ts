import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Controller, Injectable, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { BusClient, BusContext, BusEventPattern, BusServer, KafkaBus } from '@coldchain/bus';
import { jsonTopic } from '@coldchain/contract';
import { EngineUnavailableError } from '@coldchain/errors';
import { ensureInfra, type Endpoints } from '../../support/infra.js';
import { eventually } from '../../support/process.js';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
let endpoints: Endpoints;

beforeAll(async () => {
  endpoints = await ensureInfra(['kafka']);
}, 600_000);

interface Command {
  hub: string;
  n: number;
}
/** Unique per run: a fresh topic and group, so no position or record of an earlier run is seen. */
const COMMANDS = jsonTopic<Command>(`it.nest-transport.${randomUUID()}`);
const GROUP = `it-nest-transport-${randomUUID()}`;

@Injectable()
class Seen {
  readonly calls: Array<Command & { key: string | undefined; partition: number }> = [];
  /** Calls left to fail before the handler succeeds. */
  failuresLeft = 0;
}

@Controller()
class CommandsController {
  constructor(private readonly seen: Seen) {}

  @BusEventPattern(COMMANDS, { group: GROUP })
  onCommand(@Payload() command: Command, @Ctx() ctx: BusContext): void {
    if (this.seen.failuresLeft > 0) {
      this.seen.failuresLeft--;
      throw new EngineUnavailableError('spec store', 'away for a moment');
    }
    this.seen.calls.push({ ...command, key: ctx.getKey(), partition: ctx.getPartition() });
  }
}

@Module({ controllers: [CommandsController], providers: [Seen] })
class CommandsModule {}

describe('Nest bus transport on Kafka', () => {
  let bus: KafkaBus;
  let app: INestMicroservice;

  async function startConsumer(): Promise<Seen> {
    app = await NestFactory.createMicroservice(CommandsModule, {
      strategy: new BusServer(bus),
      logger: false,
    });
    await app.listen();
    return app.get(Seen);
  }

  beforeAll(async () => {
    bus = new KafkaBus({
      brokers: endpoints.kafkaBrokers,
      clientId: `it-${randomUUID()}`,
      partitions: 2,
      log: quiet,
    });
    await bus.start();
  });
  afterAll(async () => {
    await bus.close();
  });

  it('delivers what BusClient emits to the group, per key in order, retries a failing handler and commits after it resolved', async () => {
    const seen = await startConsumer();
    seen.failuresLeft = 1;
    const client = new BusClient(bus, { topics: [COMMANDS] });
    const hubs = ['hub-a', 'hub-b', 'hub-c', 'hub-d'];
    for (let n = 0; n < 5; n++)
      await lastValueFrom(
        client.emit(
          COMMANDS.name,
          hubs.map((hub) => ({ key: hub, value: { hub, n } })),
        ),
      );

    await eventually(
      async () => (new Set(seen.calls.map((c) => `${c.hub}/${c.n}`)).size === 20 ? true : undefined),
      60_000,
      'every command handled',
    );
    expect(seen.failuresLeft).toBe(0);
    for (const hub of hubs) {
      const mine = seen.calls.filter((c) => c.hub === hub);
      expect(mine.every((c) => c.key === hub)).toBe(true);
      expect(new Set(mine.map((c) => c.partition)).size).toBe(1);
      // Per-key order of first deliveries (a retried batch may hand values over again).
      expect([...new Set(mine.map((c) => c.n))]).toEqual([0, 1, 2, 3, 4]);
    }
    await app.close();

    // Same group again: everything handled was committed, so only the new command arrives.
    const again = await startConsumer();
    await lastValueFrom(client.emit(COMMANDS, { key: 'hub-a', value: { hub: 'hub-a', n: 5 } }));
    await eventually(async () => (again.calls.length > 0 ? true : undefined), 60_000, 'the new command');
    await new Promise((r) => setTimeout(r, 1000));
    expect(again.calls.map((c) => `${c.hub}/${c.n}`)).toEqual(['hub-a/5']);
    await app.close();
  }, 120_000);
});
