import { applyDecorators, Catch, UseFilters, type RpcExceptionFilter } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { throwError, type Observable } from 'rxjs';
import type { TopicSpec } from '@coldchain/contract';
import type { SubscribeOptions } from '../bus.port.js';

/** Transport id of {@link BusServer}: handlers declared with {@link BusEventPattern} register with it only. */
export const BUS_TRANSPORT = Symbol('coldchain.bus-transport');

/** Key of the pattern extras that carry a handler's bus subscription. */
export const BUS_EVENT_EXTRAS = 'coldchainBus';

/**
 * How a handler consumes its topic. The subscribe options of the bus, less the
 * ones that need the handler's instance (`onAssignment`, `commit`): consumers
 * that restore per-partition state or checkpoint it subscribe to the bus
 * directly.
 */
export interface BusEventOptions extends Omit<SubscribeOptions, 'onAssignment' | 'commit'> {
  /**
   * Hand the handler the bus's whole batch (`ConsumedBatch<T>`, one call per
   * batch) instead of one value per call. For handlers whose per-call cost
   * (a database round trip) coalesces over a batch.
   */
  batch?: boolean;
}

/** What {@link BusEventPattern} records in the pattern's extras for {@link BusServer}. */
export interface BusEventSubscription {
  topic: TopicSpec<unknown>;
  options: BusEventOptions;
}

/**
 * Hands a handler's failure to the bus as it was thrown. Nest's default
 * filter would replace it with `{ status: 'error', message }`, losing the
 * `retriable` flag the bus's retry policy reads (see isRetriable), and log
 * it a second time next to the bus's own retry warning.
 */
@Catch()
export class RethrowToBusFilter implements RpcExceptionFilter {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * `@EventPattern(topic.name)` on the bus transport, consuming `topic` in
 * consumer group `options.group`, with the handler's errors passed to the bus
 * unchanged. The handler is called with the decoded value (or the batch, with
 * `batch: true`) and a {@link BusContext}; the records are committed once it
 * resolved (or its Observable completed); when it fails, the bus delivers the
 * same records again after a backoff, as for any bus subscriber.
 */
export function BusEventPattern<T>(topic: TopicSpec<T>, options: BusEventOptions): MethodDecorator {
  const subscription: BusEventSubscription = { topic: topic, options };
  return applyDecorators(
    EventPattern<string>(topic.name, BUS_TRANSPORT, { [BUS_EVENT_EXTRAS]: subscription }),
    UseFilters(new RethrowToBusFilter()),
  );
}
