/**
 * The notification providers of the notify benchmark's production mode, as a
 * process of their own, so that they share no event loop with the load
 * generator, the apps or the bench: a real SMTP server (test/support/smtp-sink,
 * smtp-server + mailparser) and the Twilio stand-in (test/support/twilio-standin,
 * driven by the real `twilio` client through TWILIO_API_BASE_URL).
 *
 * Every acceptance is stamped here, with this process's wall clock, right
 * before the provider answers (the sink's `250` after DATA, the stand-in's
 * `201`), and reported to the parent over IPC. IPC delay does not matter: the
 * time travels in the message.
 *   → { kind: 'ready', smtpPort, twilio: { baseUrl, accountSid, authToken } }
 *   → { kind: 'accepted', channel, alertKey, at }
 *   ← { cmd: 'stop' }                               → { kind: 'stopped', emails, sms }
 * Exits when the parent goes away.
 */
import { SmtpSink } from '../../test/support/smtp-sink.js';
import { TwilioStandIn } from '../../test/support/twilio-standin.js';

export type ProvidersReply =
  | { kind: 'ready'; smtpPort: number; twilio: { baseUrl: string; accountSid: string; authToken: string } }
  /** `at`: epoch ms when the provider accepted (just before its 250 / 201). */
  | { kind: 'accepted'; channel: 'email' | 'sms'; alertKey: string; at: number }
  | { kind: 'stopped'; emails: number; sms: number }
  | { kind: 'error'; message: string };

export type ProvidersCommand = { cmd: 'stop' };

/** A plain header's value (mailparser types headers as strings or structured objects). */
const headerText = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The alert key inside a delivery key (`alertKey|contactId|channel`) carried by a Twilio status callback URL. */
function alertKeyOfCallback(url: string | undefined): string {
  if (!url) return '';
  const d = new URL(url).searchParams.get('d') ?? '';
  return d.split('|')[0];
}

const reply = (r: ProvidersReply): void => {
  process.send?.(r);
};

async function main(): Promise<void> {
  const sink = await SmtpSink.start();
  const standIn = await TwilioStandIn.start();
  // Both push a message into their list right before they answer (sink: before `250`, stand-in: before `201`).
  const pushMail = sink.messages.push.bind(sink.messages);
  sink.messages.push = (...mails) => {
    const at = Date.now();
    for (const m of mails)
      reply({
        kind: 'accepted',
        channel: 'email',
        alertKey: headerText(m.parsed.headers.get('x-coldchain-alert-key')),
        at,
      });
    return pushMail(...mails);
  };
  const pushSms = standIn.messages.push.bind(standIn.messages);
  standIn.messages.push = (...msgs) => {
    const at = Date.now();
    for (const m of msgs)
      reply({ kind: 'accepted', channel: 'sms', alertKey: alertKeyOfCallback(m.statusCallback), at });
    return pushSms(...msgs);
  };
  process.on('message', (msg) => {
    if ((msg as ProvidersCommand).cmd !== 'stop') return;
    void Promise.all([sink.close(), standIn.close()]).then(() => {
      reply({ kind: 'stopped', emails: sink.messages.length, sms: standIn.messages.length });
      process.exit(0);
    });
  });
  reply({
    kind: 'ready',
    smtpPort: sink.port,
    twilio: { baseUrl: standIn.baseUrl, accountSid: standIn.accountSid, authToken: standIn.authToken },
  });
}

process.on('disconnect', () => process.exit(0));
main().catch((err: unknown) => {
  reply({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
