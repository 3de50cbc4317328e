import {
  Controller,
  Get,
  Inject,
  Injectable,
  Logger,
  Query,
  Req,
  Res,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  ALERTS_TOPIC,
  HUB_STATUS_TOPIC,
  TELEMETRY_TOPIC,
  type BusPort,
  type Subscription,
} from '@coldchain/bus';
import type { ColdchainConfig } from '@coldchain/config';
import { ForbiddenError, UnauthorizedError } from '@coldchain/errors';
import { AuthService } from '@coldchain/identity';
import { LiveFeed, type LiveEvent } from '@coldchain/live-feed';
import { BUS, CONFIG } from '@coldchain/runtime';
import { Doc } from '../openapi.js';
import { parse } from '../validation.js';

/** Tunables of the live stream, units in the names. */
export const LIVE_STREAM_DEFAULTS = {
  /** At most one reading event per tag per this interval. */
  readingIntervalMs: 1000,
  /** An SSE comment this often keeps proxies from closing an idle stream. */
  heartbeatMs: 15_000,
  /** A client with more than this many bytes unsent is not reading: it is dropped. */
  maxBufferedBytes: 1 << 20,
  /** EventSource reconnect delay the server asks for. */
  retryMs: 3000,
};

/**
 * Feeds the process's LiveFeed from the bus: accepted telemetry, hub status
 * and alerts, each on a broadcast subscription starting at the end of the
 * topic (a live view needs no history). In the embedded platform the bus
 * waits for these handlers, so they only hand records to the feed, which
 * never throws.
 */
@Injectable()
export class LiveFeedHost implements OnModuleInit, OnModuleDestroy {
  readonly feed = new LiveFeed({ readingIntervalMs: LIVE_STREAM_DEFAULTS.readingIntervalMs });
  private subscriptions: Subscription[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(@Inject(BUS) private readonly bus: BusPort) {}

  async onModuleInit(): Promise<void> {
    const live = { group: 'api-live', broadcast: true, startAt: 'latest' as const };
    this.subscriptions = await Promise.all([
      this.bus.subscribe(TELEMETRY_TOPIC, live, async (b) => this.feed.onTelemetry(b.values)),
      this.bus.subscribe(HUB_STATUS_TOPIC, live, async (b) => this.feed.onHubStatus(b.values)),
      this.bus.subscribe(ALERTS_TOPIC, live, async (b) => this.feed.onAlerts(b.values)),
    ]);
    this.timer = setInterval(() => this.feed.flush(), LIVE_STREAM_DEFAULTS.readingIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.feed.close();
    await Promise.all(this.subscriptions.map((s) => s.close()));
    this.subscriptions = [];
  }
}

const streamQuery = z.object({ access_token: z.string().min(1, 'required') });

/** One SSE frame (event name + one JSON data line). */
export function sseFrame(event: LiveEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/**
 * Server-Sent Events of the caller's tenant: `reading`, `hub-status` and
 * `alert` events. EventSource cannot send headers, so the access token comes
 * as `access_token` in the query (RFC 6750 §2.3); it is checked once, and the
 * stream ends when the token expires: the client reconnects with a fresh one,
 * so logout, idle timeout and role changes reach the stream within
 * ACCESS_TOKEN_TTL_SECONDS.
 */
@ApiTags('live')
@Controller('api/v1')
export class LiveStreamController {
  private readonly log = new Logger('LiveStream');

  constructor(
    @Inject(LiveFeedHost) private readonly host: LiveFeedHost,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(CONFIG) private readonly config: ColdchainConfig,
  ) {}

  @Get('stream')
  @Doc({
    summary: 'Live readings, hub status and alerts of the tenant (Server-Sent Events)',
    description:
      'Events: `reading` {tag, hub, ts, temperature?, humidity?, co2?, door?, battery?} at most once per tag per ' +
      'second; `hub-status` {hub, status, at}; `alert` (an alert transition). Comment heartbeats every 15 s. ' +
      'The stream ends when the access token expires; reconnect with a fresh one.',
    query: {
      access_token: { schema: z.string(), description: 'the access token (EventSource sends no headers)' },
    },
    ok: { description: 'text/event-stream' },
    errors: [400, 401, 403],
    public: true,
  })
  async stream(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() query: unknown,
  ): Promise<void> {
    const { access_token } = parse(streamQuery, query, 'query');
    const principal = await this.auth.authenticate(access_token).catch((err: unknown) => {
      throw err instanceof UnauthorizedError ? err : new UnauthorizedError('invalid access token', 'token');
    });
    if (principal.kind !== 'tenant')
      throw new ForbiddenError('a platform admin is a member of no tenant: it has no live stream');
    if (principal.mustChangePassword)
      throw new ForbiddenError(
        'password change required: POST /api/v1/auth/change-password first',
        'password_change_required',
      );

    reply.hijack(); // from here on the raw socket is ours: no JSON error bodies, only SSE
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // nginx: do not buffer the stream
    });
    res.write(`retry: ${LIVE_STREAM_DEFAULTS.retryMs}\n\n`);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      clearTimeout(expiry);
      unsubscribe();
      res.end();
    };
    const unsubscribe = this.host.feed.subscribe(
      principal.tenantId,
      (event) => {
        if (res.destroyed || res.writableEnded) return false; // gone: 'close' ends it, nothing to report
        if (res.writableLength > LIVE_STREAM_DEFAULTS.maxBufferedBytes) {
          this.log.warn(`dropped a live stream of tenant ${principal.tenantId}: the client stopped reading`);
          return false;
        }
        res.write(sseFrame(event));
        return true;
      },
      end,
    );
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), LIVE_STREAM_DEFAULTS.heartbeatMs);
    const expiry = setTimeout(end, this.config.ACCESS_TOKEN_TTL_SECONDS * 1000);
    req.raw.on('close', end);
  }
}
