/**
 * The environment keys @coldchain/notifications reads, as validated here
 * (types already coerced). Structurally a subset of `ColdchainConfig`, so the
 * notifier passes its validated config straight in.
 */
export interface NotificationsEnv {
  /** Folder of the embedded data; the outbox file lives here. */
  DATA_DIR: string;
  SMTP_HOST?: string;
  SMTP_PORT: number;
  SMTP_SECURE: boolean;
  SMTP_USER?: string;
  SMTP_PASS?: string;
  SMTP_FROM: string;
  TWILIO_ACCOUNT_SID?: string;
  TWILIO_AUTH_TOKEN?: string;
  /** E.164 number, or a Messaging Service SID (MG…) for SMS. */
  TWILIO_FROM?: string;
  /** Re-roots every Twilio REST call (tests: the local stand-in). */
  TWILIO_API_BASE_URL?: string;
  WEBHOOK_URL?: string;
  WEBHOOK_SECRET?: string;
  /** HMAC key of acknowledgement links and SMS ack codes (≥ 32 bytes, checked by the env schema). */
  ACK_LINK_SECRET?: string;
  /** Public origin (and path prefix) of the platform: ack links and Twilio callback URLs are built on it. */
  PUBLIC_BASE_URL?: string;
}

/**
 * Cross-key checks a per-key schema cannot express (the shortest length of
 * a secret such as ACK_LINK_SECRET is checked by the env schema), worded like the config
 * loader's ("KEY=value (why)") so that they join its one boot error. An empty list means the configuration is usable.
 */
export function notificationsEnvProblems(env: Partial<NotificationsEnv>): string[] {
  const problems: string[] = [];
  const show = (k: keyof NotificationsEnv): string =>
    `${k}=${JSON.stringify(k.includes('TOKEN') || k.includes('PASS') || k.includes('SECRET') ? '***' : (env[k] ?? ''))}`;
  const twilioKeys = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'] as const;
  const set = twilioKeys.filter((k) => env[k]);
  if (set.length > 0 && set.length < twilioKeys.length)
    for (const k of twilioKeys.filter((k) => !env[k]))
      problems.push(`${show(k)} (required when ${set.join(', ')} set)`);
  if (env.TWILIO_ACCOUNT_SID && !/^AC[0-9a-fA-F]{32}$/.test(env.TWILIO_ACCOUNT_SID))
    problems.push(`${show('TWILIO_ACCOUNT_SID')} (expected AC followed by 32 hex digits)`);
  if (env.TWILIO_FROM && !/^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/.test(env.TWILIO_FROM))
    problems.push(
      `${show('TWILIO_FROM')} (expected an E.164 number like +15005550006 or a Messaging Service SID MG…)`,
    );
  for (const k of ['TWILIO_API_BASE_URL', 'WEBHOOK_URL', 'PUBLIC_BASE_URL'] as const) {
    const v = env[k];
    if (v && !/^https?:\/\/[^\s]+$/.test(v)) problems.push(`${show(k)} (expected an http(s) URL)`);
  }
  if (env.WEBHOOK_SECRET && !env.WEBHOOK_URL)
    problems.push(`${show('WEBHOOK_URL')} (required when WEBHOOK_SECRET is set)`);
  if (set.length === twilioKeys.length && !env.PUBLIC_BASE_URL)
    problems.push(
      `${show('PUBLIC_BASE_URL')} (required with Twilio: status callbacks, inbound SMS and keypad answers are sent there)`,
    );
  return problems;
}
