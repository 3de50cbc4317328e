import { afterEach, describe, expect, it } from '@jest/globals';
import { Controller, Injectable, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { lastValueFrom, timer, map } from 'rxjs';
import { InProcessBus } from '../in-process-bus.adapter.js';
import type { BusPort, ConsumedBatch } from '../bus.port.js';
import { jsonTopic } from '@coldchain/contract';
import { BUS } from '../bus.tokens.js';
import { BusContext } from './bus.context.js';
import { BusEventPattern } from './bus-event-pattern.decorator.js';
import { BusServer } from './bus.server.js';
import { BusClient } from './bus.client.js';
import { connectBusTransport } from './connect-bus-transport.js';

interface Reading {
  tag: string;
  n: number;
}
const READINGS = jsonTopic<Reading>('spec.readings.v1');
const COMMANDS = jsonTopic<{ hub: string; command: string }>('spec.hub-commands.v1');
const quiet = { warn: (): void => undefined };
const records = (...ns: number[]) =>
  ns.map((n) => ({ key: `tag-${n % 2}`, value: { tag: `tag-${n % 2}`, n } }));

/** What the handlers saw, and how the next calls should behave. */
@Injectable()
class Recorder {
  readonly seen: Array<{ n: number; topic: string; partition: number; key: string | undefined }> = [];
  readonly batches: Array<ConsumedBatch<Reading>> = [];
  readonly audit: number[] = [];
  /** Errors the next calls throw, first one first. */
  failures: Error[] = [];
  /** Resolves a call's handler (tests hold it open to see what waits on it). */
  gate: Promise<void> = Promise.resolve();
}

@Controller()
class ReadingsController {
  constructor(private readonly recorder: Recorder) {}

  @BusEventPattern(READINGS, { group: 'spec-per-value' })
  async onReading(@Payload() reading: Reading, @Ctx() ctx: BusContext): Promise<void> {
    await this.recorder.gate;
    const failure = this.recorder.failures.shift();
    if (failure) throw failure;
    this.recorder.seen.push({
      n: reading.n,
      topic: ctx.getTopic(),
      partition: ctx.getPartition(),
      key: ctx.getKey(),
    });
  }

  @BusEventPattern(READINGS, { group: 'spec-batch', batch: true })
  async onBatch(batch: ConsumedBatch<Reading>): Promise<void> {
    this.recorder.batches.push(batch);
  }
}

@Controller()
class AuditController {
  constructor(private readonly recorder: Recorder) {}

  /** An Observable handler: the records are committed once it completes. */
  @BusEventPattern(READINGS, { group: 'spec-audit' })
  onReading(reading: Reading) {
    return timer(20).pipe(map(() => this.recorder.audit.push(reading.n)));
  }
}

@Module({ controllers: [ReadingsController, AuditController], providers: [Recorder] })
class ReadingsModule {}

describe('BusServer (Nest transport over the in-process bus)', () => {
  let bus: InProcessBus;
  let app: INestMicroservice | undefined;

  async function start(module: object = ReadingsModule): Promise<Recorder> {
    bus = new InProcessBus(quiet);
    app = await NestFactory.createMicroservice(module, { strategy: new BusServer(bus), logger: false });
    await app.listen();
    return app.get(Recorder);
  }

  afterEach(async () => {
    await app?.close();
    await bus.close();
    app = undefined;
  });

  it('hands every value to a per-value handler in publish order with topic, partition and key, and to each group once', async () => {
    const recorder = await start();
    await bus.publish(READINGS, records(1, 2, 3));
    await bus.publish(READINGS, records(4));

    expect(recorder.seen).toEqual(
      [1, 2, 3, 4].map((n) => ({ n, topic: READINGS.name, partition: 0, key: `tag-${n % 2}` })),
    );
    expect(recorder.batches.flatMap((b) => b.values.map((v) => v.n))).toEqual([1, 2, 3, 4]);
    expect(recorder.batches[0].keys).toEqual(['tag-1', 'tag-0', 'tag-1']);
    expect(recorder.audit).toEqual([1, 2, 3, 4]);
  });

  it('commits only once the handler resolved: publish (in-process: every group handled it) waits for it', async () => {
    const recorder = await start();
    let open!: () => void;
    recorder.gate = new Promise((resolve) => (open = resolve));
    let published = false;
    const publishing = bus.publish(READINGS, records(1)).then(() => (published = true));

    await new Promise((r) => setTimeout(r, 50));
    expect(published).toBe(false);
    open();
    await publishing;
    expect(recorder.seen.map((s) => s.n)).toEqual([1]);
  });

  it('retries a failed batch after the bus backoff, handing every value of it over again', async () => {
    const recorder = await start();
    recorder.failures = [new Error('store away')];

    await bus.publish(READINGS, records(1, 2));

    // The first call failed: the whole batch came again, in order.
    expect(recorder.seen.map((s) => s.n)).toEqual([1, 2]);
  });

  it('passes the thrown error to the bus unchanged, so a programming error gets the bus treatment (publisher fails with it)', async () => {
    const recorder = await start();
    const bug = new TypeError('reading.n is not a function');
    recorder.failures = [bug, bug, bug];

    await expect(bus.publish(READINGS, records(1))).rejects.toBe(bug);
  });

  it('refuses a request-response handler at listen', async () => {
    @Controller()
    class AskingController {
      @MessagePattern('spec.ask')
      ask(): string {
        return 'no';
      }
    }
    @Module({ controllers: [AskingController] })
    class AskingModule {}

    await expect(start(AskingModule)).rejects.toThrow(/spec.ask: request-response is not carried by the bus/);
  });

  it('connects to a hybrid app through connectBusTransport once, and stops consuming when the app closes', async () => {
    bus = new InProcessBus(quiet);
    @Module({
      controllers: [ReadingsController, AuditController],
      providers: [Recorder, { provide: BUS, useValue: bus as BusPort }],
    })
    class HybridModule {}
    const http = await NestFactory.create(HybridModule, new FastifyAdapter(), { logger: false });
    const microservice = connectBusTransport(http);
    expect(connectBusTransport(http)).toBe(microservice);
    await http.init();
    await http.startAllMicroservices();
    const recorder = http.get(Recorder);

    await bus.publish(READINGS, records(7));
    expect(recorder.seen.map((s) => s.n)).toEqual([7]);

    await http.close();
    // No group left on the topic: the in-process bus holds the record for the next subscriber.
    let published = false;
    void bus.publish(READINGS, records(8)).then(
      () => (published = true),
      () => undefined,
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(published).toBe(false);
    expect(recorder.seen.map((s) => s.n)).toEqual([7]);
  });
});

describe('BusClient (Nest ClientProxy over the bus)', () => {
  let bus: InProcessBus;
  let app: INestMicroservice;
  const received: Array<{ key: string | undefined; hub: string; command: string }> = [];

  @Controller()
  class HubCommandsController {
    @BusEventPattern(COMMANDS, { group: 'spec-hub-commands' })
    onCommand(@Payload() command: { hub: string; command: string }, @Ctx() ctx: BusContext): void {
      received.push({ key: ctx.getKey(), ...command });
    }
  }
  @Module({ controllers: [HubCommandsController] })
  class HubCommandsModule {}

  afterEach(async () => {
    await app.close();
    await bus.close();
    received.length = 0;
  });

  async function start(): Promise<BusClient> {
    bus = new InProcessBus(quiet);
    app = await NestFactory.createMicroservice(HubCommandsModule, {
      strategy: new BusServer(bus),
      logger: false,
    });
    await app.listen();
    return new BusClient(bus, { topics: [COMMANDS] });
  }

  it('emits records to a topic by spec or by name; the Observable completes once they are safe (handled, in-process)', async () => {
    const client = await start();
    await lastValueFrom(client.emit(COMMANDS, { key: 'hub-1', value: { hub: 'hub-1', command: 'reboot' } }));
    expect(received).toEqual([{ key: 'hub-1', hub: 'hub-1', command: 'reboot' }]);

    await lastValueFrom(
      client.emit(COMMANDS.name, [
        { key: 'hub-2', value: { hub: 'hub-2', command: 'rotate-secret' } },
        { key: 'hub-1', value: { hub: 'hub-1', command: 'decommission' } },
      ]),
    );
    expect(received.map((r) => r.command)).toEqual(['reboot', 'rotate-secret', 'decommission']);
  });

  it('fails an emit to an unknown topic, a record without a key, and any request-response send', async () => {
    const client = await start();
    await expect(lastValueFrom(client.emit('spec.unknown', { key: 'k', value: 1 }))).rejects.toThrow(
      /unknown topic/,
    );
    await expect(lastValueFrom(client.emit(COMMANDS, { value: 1 }))).rejects.toThrow(/\{ key, value \}/);
    await expect(lastValueFrom(client.send(COMMANDS.name, { key: 'k', value: 1 }))).rejects.toThrow(
      /use emit/,
    );
    expect(received).toEqual([]);
  });
});
