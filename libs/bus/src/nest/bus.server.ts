import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { BatchHandler, BusPort, ConsumedBatch, Subscription } from '../bus.port.js';
import { BusContext } from './bus.context.js';
import { BUS_EVENT_EXTRAS, BUS_TRANSPORT, type BusEventSubscription } from './bus-event-pattern.decorator.js';

interface Registration extends BusEventSubscription {
  pattern: string;
  handler: MessageHandler;
}

/**
 * A Nest transport over {@link BusPort}: each `@BusEventPattern(topic,
 * { group })` handler of the application's controllers becomes one bus
 * subscription, so the bus's semantics hold unchanged:
 * - consumer groups: instances in one group split the partitions;
 * - order: a batch's values are handed over one at a time, each once the
 *   previous one's handler settled (per-key order as published);
 * - at-least-once: a batch is committed once every handler call for it
 *   resolved (an Observable: completed);
 * - failure: the first handler error fails the batch as it was thrown, and
 *   the bus retries the whole batch after its backoff (values handled before
 *   the failure are handed over again: handlers are idempotent); a
 *   non-retriable error (isRetriable) gets the bus's treatment of programming
 *   errors.
 * Events only: a `@MessagePattern` (request-response) is refused at listen.
 * Subscribes in `listen` (Nest's `startAllMicroservices`), so in a hybrid app
 * start it after `app.init()`: consumers then restore their state in
 * onModuleInit before the first event. `close` closes the subscriptions (the
 * in-process bus hands over what was queued first); the bus itself belongs
 * to its module.
 */
export class BusServer extends Server implements CustomTransportStrategy {
  override readonly transportId = BUS_TRANSPORT;
  /** Handler failures reach the bus, which logs and retries them. */
  override readonly propagatesEventHandlerErrors = true;
  private readonly registrations: Registration[] = [];
  private readonly refused: string[] = [];
  private subscriptions: Subscription[] = [];

  constructor(private readonly bus: BusPort) {
    super();
  }

  override addHandler(
    pattern: unknown,
    callback: MessageHandler,
    isEventHandler = false,
    extras: Record<string, unknown> = {},
  ): void {
    const normalized = this.normalizePattern(pattern as string);
    const subscription = extras[BUS_EVENT_EXTRAS] as BusEventSubscription | undefined;
    if (!isEventHandler) this.refused.push(`${normalized}: request-response is not carried by the bus`);
    else if (!subscription)
      this.refused.push(`${normalized}: declare it with BusEventPattern(topic, { group })`);
    else this.registrations.push({ pattern: normalized, handler: callback, ...subscription });
  }

  listen(callback: (err?: unknown) => void): void {
    this.subscribeAll().then(
      () => {
        this._status$.next('connected');
        callback();
      },
      (err: unknown) => callback(err),
    );
  }

  async close(): Promise<void> {
    const open = this.subscriptions;
    this.subscriptions = [];
    await Promise.all(open.map((s) => s.close()));
    this._status$.next('disconnected');
  }

  on(): never {
    throw new Error('the bus transport emits no events');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  private async subscribeAll(): Promise<void> {
    if (this.refused.length > 0)
      throw new Error(`bus transport: handlers it cannot serve: ${this.refused.join('; ')}`);
    const seen = new Set<string>();
    for (const r of this.registrations) {
      const id = `${r.topic.name} in group ${r.options.group}`;
      if (seen.has(id)) throw new Error(`bus transport: two handlers consume ${id}`);
      seen.add(id);
    }
    try {
      for (const r of this.registrations) {
        const { batch: _batch, ...subscribe } = r.options;
        this.subscriptions.push(await this.bus.subscribe(r.topic, subscribe, this.dispatcher(r)));
      }
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  private dispatcher({ handler, options }: Registration): BatchHandler<unknown> {
    if (options.batch)
      return (batch: ConsumedBatch<unknown>) =>
        settle(handler(batch, new BusContext([batch.topic, batch.partition, undefined])));
    return async (batch: ConsumedBatch<unknown>) => {
      const { values, keys, topic, partition } = batch;
      for (let i = 0; i < values.length; i++)
        await settle(handler(values[i], new BusContext([topic, partition, keys[i]])));
    };
  }
}

/**
 * Waits for a handler call: its promise, then the Observable it resolved to
 * (Nest wraps interceptors' and filters' results in one). A failure that is
 * not an Error (Nest's `{ status, message }` from a handler declared without
 * BusEventPattern's filter) becomes one, not retriable as unknown errors are not.
 */
async function settle(result: Promise<unknown>): Promise<void> {
  try {
    const value = await result;
    if (isObservable(value)) await lastValueFrom(value, { defaultValue: undefined });
  } catch (err) {
    if (err instanceof Error) throw err;
    throw new Error(`bus event handler failed: ${JSON.stringify(err)}`, { cause: err });
  }
}
