import type { EpochMs } from '@coldchain/domain';
import type { Contact } from './contact.js';
import { inDailyWindow, localClock, nextLocalTime, parseHhMm } from './local-time.js';

/** Whether `at` falls in the contact's quiet hours, read in the contact's time zone. */
export function inQuietHours(contact: Contact, at: EpochMs): boolean {
  if (!contact.quietHours) return false;
  const { minuteOfDay } = localClock(at, contact.timeZone);
  return inDailyWindow(minuteOfDay, parseHhMm(contact.quietHours.start), parseHhMm(contact.quietHours.end));
}

/** When the contact's current quiet hours end (epoch ms), or undefined when not in quiet hours. */
export function quietHoursEndAt(contact: Contact, at: EpochMs): EpochMs | undefined {
  if (!contact.quietHours || !inQuietHours(contact, at)) return undefined;
  return nextLocalTime(at, contact.timeZone, parseHhMm(contact.quietHours.end));
}
