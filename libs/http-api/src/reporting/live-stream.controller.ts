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
import { type BusPort, type Subscription, BUS } from '@coldchain/bus';
import { ALERTS_TOPIC, HUB_STATUS_TOPIC, TELEMETRY_TOPIC } from '@coldchain/contract';
import type { Clock } from '@coldchain/domain';
import { ForbiddenError, UnauthorizedError } from '@coldchain/errors';
import { AuthService, SessionEndings, type SessionEnding } from '@coldchain/identity';
import { LiveFeed, SessionStreams, type LiveEvent } from '@coldchain/live-feed';
import { Doc } from '../openapi.js';
import { parse } from '../validation.js';
import { CLOCK } from '@coldchain/config';

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
  /**
   * Every open stream's session is re-validated this often: an ending
   * decided by another API process (logout, disabling, ...; sessions live in
   * the shared metadata store) ends the stream here within this interval.
   * Endings decided by this process end it at once. Cost: up to three store
   * reads per distinct session per interval.
   */
  sessionRecheckMs: 5000, // 5 s
  /** Longest delay a Node timer takes (2^31 - 1 ms); a later token expiry is caught by the re-validation. */
  maxTimerMs: 2_147_483_647,
};

/**
 * Feeds the process's LiveFeed from the bus: accepted telemetry, hub status
 * and alerts, each on a broadcast subscription starting at the end of the
 * topic (a live view needs no history). In the embedded platform the bus
 * waits for these handlers, so they only hand records to the feed, which
 * never throws.
 *
 * Holds the open streams by session (`sessions`) and ends them with it: at
 * once on this process's notice of an ended session (SessionEndings), and
 * every `sessionRecheckMs` after re-validating each session against the
 * store (endings decided by other processes, token expiry on the clock).
 */
@Injectable()
export class LiveFeedHost implements OnModuleInit, OnModuleDestroy {
  readonly feed = new LiveFeed({ readingIntervalMs: LIVE_STREAM_DEFAULTS.readingIntervalMs });
  readonly sessions: SessionStreams;
  private readonly log = new Logger('LiveStream');
  private subscriptions: Subscription[] = [];
  private timer: NodeJS.Timeout | undefined;
  private recheckTimer: NodeJS.Timeout | undefined;
  private rechecking = false;
  private stopListening: (() => void) | undefined;

  constructor(
    @Inject(BUS) private readonly bus: BusPort,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(SessionEndings) private readonly endings: SessionEndings,
    @Inject(CLOCK) clock: Clock,
  ) {
    this.sessions = new SessionStreams(clock);
  }

  async onModuleInit(): Promise<void> {
    this.stopListening = this.endings.listen((ending) => this.onSessionEnded(ending));
    this.recheckTimer = setInterval(() => void this.recheck(), LIVE_STREAM_DEFAULTS.sessionRecheckMs);
    this.recheckTimer.unref();
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
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    this.stopListening?.();
    this.sessions.endWhere(() => true);
    this.feed.close();
    await Promise.all(this.subscriptions.map((s) => s.close()));
    this.subscriptions = [];
  }

  /** Re-validates every open stream's session (one pass at a time: a slow store does not pile them up). */
  async recheck(which?: Parameters<SessionStreams['recheck']>[1]): Promise<void> {
    if (this.rechecking && which === undefined) return;
    if (which === undefined) this.rechecking = true;
    try {
      await this.sessions.recheck(async (session) => {
        try {
          return (await this.auth.reauthenticate(session)) !== undefined;
        } catch (err) {
          this.log.warn(`ended a live stream: its session could not be re-validated (${String(err)})`);
          return false;
        }
      }, which);
    } finally {
      if (which === undefined) this.rechecking = false;
    }
  }

  private onSessionEnded(ending: SessionEnding): void {
    if ('sessionId' in ending) this.sessions.endWhere((s) => s.sessionId === ending.sessionId);
    else if ('userId' in ending)
      this.sessions.endWhere((s) => s.userId === ending.userId && s.sessionId !== ending.except);
    // A closed tenant's users may keep reading until their read-only access ends: the store decides.
    else void this.recheck((s) => s.tenantId === ending.tenantId);
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
 * as `access_token` in the query (RFC 6750 §2.3). The stream ends at the
 * token's expiry (the client reconnects with a fresh one), and as soon as
 * its session ends (logout, password change or reset, disabling, tenant
 * gone, reuse of a refresh token): at once when this process ends it,
 * within LIVE_STREAM_DEFAULTS.sessionRecheckMs when another process does.
 */
@ApiTags('live')
@Controller('api/v1')
export class LiveStreamController {
  private readonly log = new Logger('LiveStream');

  constructor(
    @Inject(LiveFeedHost) private readonly host: LiveFeedHost,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('stream')
  @Doc({
    summary: 'Live readings, hub status and alerts of the tenant (Server-Sent Events)',
    description:
      'Events: `reading` {tag, hub, ts, temperature?, humidity?, co2?, door?, battery?} at most once per tag per ' +
      'second; `hub-status` {hub, status, at}; `alert` (an alert transition). Comment heartbeats every 15 s. ' +
      'The stream ends when the access token expires (reconnect with a fresh one) and when the session ends ' +
      '(logout, password change, disabling...), within 5 s on every API process.',
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
    const { caller: principal, expiresAt } = await this.auth
      .authenticateUntil(access_token)
      .catch((err: unknown) => {
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
      release();
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
    const expiry = setTimeout(
      end,
      Math.min(Math.max(0, expiresAt - this.clock.now()), LIVE_STREAM_DEFAULTS.maxTimerMs),
    );
    const release = this.host.sessions.add({
      sessionId: principal.sessionId,
      userId: principal.userId,
      tenantId: principal.tenantId,
      expiresAt,
      end,
    });
    req.raw.on('close', end);
  }
}
