/**
 * A person (or a team mailbox) who can be notified. Addresses are optional: a
 * contact without a phone simply has no SMS/voice route.
 */
export interface Contact {
  id: string;
  tenantId: string;
  name: string;
  email?: string;
  /** E.164, for example +4915112345678. */
  phone?: string;
  /** IANA time zone for schedules, quiet hours and the times shown in messages. */
  timeZone: string;
  /**
   * Local wall-clock window ("HH:MM", 24 h) in which warnings are held back
   * (criticals always go through). `start > end` spans midnight (22:00–07:00).
   */
  quietHours?: { start: string; end: string };
}
