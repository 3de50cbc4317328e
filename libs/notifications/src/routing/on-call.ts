import type { EpochMs } from '@coldchain/domain';
import type { Contact } from './contact.js';
import { inDailyWindow, localClock, parseHhMm, type Weekday } from './local-time.js';

/**
 * One recurring weekly shift of one contact, in that contact's own time zone
 * (a Berlin night shift stays 22:00–06:00 Berlin time across DST). A shift
 * with `start > end` runs past midnight and belongs to the day it starts.
 */
export interface OnCallShift {
  contactId: string;
  days: readonly Weekday[];
  /** "HH:MM", 24 h, local to the contact. */
  start: string;
  end: string;
}

/** A tenant's (or a profile's) rotation: shifts, plus who is called when nobody's shift covers the moment. */
export interface OnCallRotation {
  shifts: readonly OnCallShift[];
  /** Contact ids tried when no shift covers `at` (a duty manager). */
  fallbackContactIds?: readonly string[];
}

function covers(shift: OnCallShift, timeZone: string, at: EpochMs): boolean {
  const { weekday, minuteOfDay } = localClock(at, timeZone);
  const start = parseHhMm(shift.start);
  const end = parseHhMm(shift.end);
  if (start === end) return shift.days.includes(weekday); // "00:00–00:00": the whole day
  if (start < end) return shift.days.includes(weekday) && inDailyWindow(minuteOfDay, start, end);
  // Past midnight: the evening part on a listed day, the early-morning part on the day after one.
  const yesterday = ((weekday + 6) % 7) as Weekday;
  return (
    (shift.days.includes(weekday) && minuteOfDay >= start) ||
    (shift.days.includes(yesterday) && minuteOfDay < end)
  );
}

/**
 * Who is on call at `at`, in shift order, each shift read in its contact's
 * time zone; the rotation's fallback contacts when no shift covers it. Unknown
 * contact ids are skipped.
 */
export function onCallAt(rotation: OnCallRotation, contacts: readonly Contact[], at: EpochMs): Contact[] {
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const on: Contact[] = [];
  for (const shift of rotation.shifts) {
    const c = byId.get(shift.contactId);
    if (c && !on.includes(c) && covers(shift, c.timeZone, at)) on.push(c);
  }
  if (on.length > 0) return on;
  return (rotation.fallbackContactIds ?? [])
    .map((id) => byId.get(id))
    .filter((c): c is Contact => c !== undefined);
}

/**
 * The escalation chain for one alert: whoever is on call now, then the
 * profile's contact list in its order, each person once.
 */
export function escalationChain(
  rotation: OnCallRotation | undefined,
  profileContacts: readonly Contact[],
  allContacts: readonly Contact[],
  at: EpochMs,
): Contact[] {
  const chain = rotation ? onCallAt(rotation, allContacts, at) : [];
  for (const c of profileContacts) if (!chain.some((x) => x.id === c.id)) chain.push(c);
  return chain;
}
