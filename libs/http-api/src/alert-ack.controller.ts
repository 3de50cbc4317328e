import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { z } from 'zod';
import type { Clock } from '@coldchain/domain';
import { InvalidInputError, NotFoundError } from '@coldchain/errors';
import { type AlertLogRepository, ALERT_LOG_REPOSITORY } from '@coldchain/metadata-store';
import {
  AckLinkError,
  MAX_ACK_COMMENT_CHARS,
  claimOfAckToken,
  escapeHtml,
  recordAck,
  ACK_SECRET,
  NOTIFICATION_LOG,
  type NotificationLog,
} from '@coldchain/notifications';
import { SessionAuthGuard, principalOf, type SessionRequest } from './auth/session-auth.guard.js';
import { Doc } from './openapi.js';
import { ackView, alertEventView, deliveryView } from './schemas.js';
import { CLOCK } from '@coldchain/config';

/** Alerts of a tenant searched when checking that an alert key is the caller's. */
const ALERT_LOOKUP_LIMIT = 1000;

const ackBody = z.object({ comment: z.string().max(MAX_ACK_COMMENT_CHARS).optional() }).default({});
const linkForm = z.object({
  token: z.string().min(1).max(4096),
  comment: z.string().max(MAX_ACK_COMMENT_CHARS).optional(),
});

const alertNotificationsView = z.object({
  alertKey: z.string(),
  deliveries: z.array(deliveryView),
  acknowledgements: z.array(ackView).describe('oldest first'),
});
const alertDetailView = z.object({
  alert: alertEventView,
  timeline: z.array(alertEventView).describe('every transition of the episode, oldest first'),
  deliveries: z.array(deliveryView),
  acknowledgements: z.array(ackView).describe('oldest first'),
});

interface StatusReply {
  status(code: number): unknown;
  header(name: string, value: string): unknown;
}

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:36rem;margin:2rem auto">` +
  `<h1>${escapeHtml(title)}</h1>${body}</body></html>`;

/**
 * Acknowledgement over HTTP, recorded in the append-only audit trail that
 * escalation reads (so it stops whichever process runs the notifier):
 * - `POST /api/v1/alerts/:key/ack` (API and dashboard; HTTP Basic, tenant-scoped);
 * - `GET /api/v1/alerts/:key/notifications`: deliveries (with provider statuses) and acknowledgements of one alert;
 * - `GET /ack?token=` (the emailed link): a confirmation page only, because mail
 *   scanners fetch links; `POST /ack` (the page's form) acknowledges. An expired
 *   link answers 410, a forged or mangled one 400, each with a page saying so.
 */
@Controller()
export class AlertAckController {
  constructor(
    @Inject(ALERT_LOG_REPOSITORY) private readonly alerts: AlertLogRepository,
    @Inject(NOTIFICATION_LOG) private readonly log: NotificationLog,
    @Inject(ACK_SECRET) private readonly secret: string,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('api/v1/alerts/:key')
  @UseGuards(SessionAuthGuard)
  @Doc({
    summary: 'One alert transition with its episode’s timeline, deliveries and acknowledgements',
    description:
      'The timeline is every transition of the same episode (tag, rule, start), oldest first: raised, escalated, ' +
      'reminders, cleared. Deliveries carry their provider status history.',
    ok: { description: 'the alert', schema: alertDetailView },
    errors: [401, 403, 404],
  })
  async detail(
    @Req() req: SessionRequest,
    @Param('key') key: string,
  ): Promise<z.infer<typeof alertDetailView>> {
    const tenantId = principalOf(req).tenantId;
    const [alert] = await this.alerts.listAlerts(tenantId, 1, { key });
    if (!alert) throw new NotFoundError(`alert ${key}`);
    const episode = await this.alerts.listAlerts(tenantId, 1000, {
      tag: alert.tag,
      rule: alert.rule,
      startedAt: alert.startedAt,
    });
    const [deliveries, acknowledgements] = await Promise.all([
      this.log.listByAlert(key),
      this.log.listAcks(key),
    ]);
    return { alert, timeline: episode.reverse(), deliveries, acknowledgements };
  }

  @Post('api/v1/alerts/:key/ack')
  @UseGuards(SessionAuthGuard)
  @HttpCode(201)
  @Doc({
    summary: 'Acknowledge an alert transition, with an optional comment',
    description:
      'Stops its escalation (voice call, next person) and its reminders; does not clear it. Recorded in the ' +
      'append-only audit trail with who, when and the comment; a second acknowledgement is recorded too.',
    body: ackBody,
    ok: { status: 201, description: 'recorded; `first` tells whether it was the first acknowledgement' },
    errors: [400, 401, 403, 404],
  })
  async acknowledge(@Req() req: SessionRequest, @Param('key') key: string, @Body() body: unknown) {
    const user = principalOf(req);
    await this.mustBeTenants(user.tenantId, key);
    const parsed = ackBody.safeParse(body ?? {});
    if (!parsed.success)
      throw new InvalidInputError('invalid request: comment must be text of at most 500 characters');
    const { entry, first } = await recordAck(
      this.log,
      {
        alertKey: key,
        tenantId: user.tenantId,
        actor: user.email,
        via: 'api',
        ...(parsed.data.comment ? { comment: parsed.data.comment } : {}),
      },
      this.clock.now(),
    );
    return { acknowledged: entry, first };
  }

  @Get('api/v1/alerts/:key/notifications')
  @UseGuards(SessionAuthGuard)
  @Doc({
    summary: 'What was sent for an alert: deliveries with their provider statuses, and acknowledgements',
    ok: { description: 'deliveries and acknowledgements', schema: alertNotificationsView },
    errors: [401, 403, 404],
  })
  async notifications(
    @Req() req: SessionRequest,
    @Param('key') key: string,
  ): Promise<z.infer<typeof alertNotificationsView>> {
    await this.mustBeTenants(principalOf(req).tenantId, key);
    const [deliveries, acknowledgements] = await Promise.all([
      this.log.listByAlert(key),
      this.log.listAcks(key),
    ]);
    return { alertKey: key, deliveries, acknowledgements };
  }

  @Get('ack')
  async confirmPage(
    @Query('token') token: unknown,
    @Res({ passthrough: true }) res: StatusReply,
  ): Promise<string> {
    res.header('content-type', 'text/html; charset=utf-8');
    res.header('cache-control', 'no-store');
    try {
      const claim = claimOfAckToken(this.secret, typeof token === 'string' ? token : '', this.clock.now());
      const acked = await this.log.firstAck(claim.alertKey);
      return page(
        'Acknowledge alert',
        (acked
          ? `<p>Already acknowledged by ${escapeHtml(acked.actor)} at ${new Date(acked.at).toISOString()}.</p>`
          : '<p>Acknowledging stops escalation to the next person.</p>') +
          `<form method="post" action="ack"><input type="hidden" name="token" value="${escapeHtml(String(token))}">` +
          `<p><label>Comment (optional)<br><input name="comment" maxlength="${MAX_ACK_COMMENT_CHARS}" size="40"></label></p>` +
          `<button type="submit">Acknowledge</button></form>`,
      );
    } catch (err) {
      return this.refusal(err, res);
    }
  }

  @Post('ack')
  @HttpCode(200)
  async acknowledgeByLink(
    @Body() body: unknown,
    @Res({ passthrough: true }) res: StatusReply,
  ): Promise<string> {
    res.header('content-type', 'text/html; charset=utf-8');
    res.header('cache-control', 'no-store');
    try {
      const form = linkForm.safeParse(body);
      if (!form.success) throw new AckLinkError('malformed');
      const claim = claimOfAckToken(this.secret, form.data.token, this.clock.now());
      const tenantId = (await this.log.listByAlert(claim.alertKey))[0]?.tenantId ?? 'unknown';
      const { first } = await recordAck(
        this.log,
        {
          alertKey: claim.alertKey,
          tenantId,
          actor: claim.contactId,
          via: 'link',
          ...(form.data.comment ? { comment: form.data.comment } : {}),
        },
        this.clock.now(),
      );
      return page(
        'Alert acknowledged',
        first
          ? '<p>Thank you. Escalation has stopped.</p>'
          : '<p>It had already been acknowledged; your acknowledgement was recorded too.</p>',
      );
    } catch (err) {
      return this.refusal(err, res);
    }
  }

  private refusal(err: unknown, res: StatusReply): string {
    if (!(err instanceof AckLinkError)) throw err;
    res.status(err.code === 'ack_link_expired' ? 410 : 400);
    return page(
      err.code === 'ack_link_expired' ? 'Link expired' : 'Invalid link',
      `<p>${escapeHtml(err.message)}.</p>`,
    );
  }

  /** Another tenant's alert is "not found", not "forbidden": no enumeration. */
  private async mustBeTenants(tenantId: string, key: string): Promise<void> {
    const alerts = await this.alerts.listAlerts(tenantId, ALERT_LOOKUP_LIMIT);
    if (!alerts.some((a) => a.key === key)) throw new NotFoundError(`alert ${key}`);
  }
}
