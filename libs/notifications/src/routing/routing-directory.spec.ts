import { describe, expect, it } from '@jest/globals';
import { InvalidInputError } from '@coldchain/errors';
import { alertEvent } from '../../../../test/fixtures/alert-event.fixture.js';
import { routingDirectoryFrom } from './routing-directory.js';

const file = {
  tenants: {
    acme: {
      contacts: [
        { id: 'dana', name: 'Dana', email: 'dana@acme.test', timeZone: 'Europe/Berlin' },
        { id: 'sam', name: 'Sam', email: 'sam@acme.test', timeZone: 'America/New_York' },
        { id: 'kei', name: 'Kei', email: 'kei@acme.test' },
      ],
      // Sam on call on weekdays 08:00–18:00 New York time.
      rotation: { shifts: [{ contactId: 'sam', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' }] },
      profiles: { vaccines: ['dana', 'kei'] },
      defaultContacts: ['kei'],
      policy: { voiceAfterUnackedMs: 60_000 },
    },
  },
};

describe('routing directory from the routing file', () => {
  const dir = routingDirectoryFrom(file, { voiceAfterUnackedMs: 900_000, nextPersonAfterUnackedMs: 600_000 });
  const tuesday = (hhmmUtc: string) => Date.parse(`2025-03-04T${hhmmUtc}:00Z`);

  it("puts whoever is on call first, in the shift's own time zone, then the profile's contacts", () => {
    const ids = (at: number, profileId = 'vaccines') =>
      dir.chain(alertEvent({ tenantId: 'acme', profileId }), at).map((c) => c.id);
    expect(ids(tuesday('14:00'))).toEqual(['sam', 'dana', 'kei']); // 09:00 in New York
    expect(ids(tuesday('12:00'))).toEqual(['dana', 'kei']); // 07:00 in New York: nobody on shift
    expect(ids(tuesday('12:00'), 'frozen')).toEqual(['kei']); // profile not listed: default contacts
    expect(dir.chain(alertEvent({ tenantId: 'other' }), tuesday('12:00'))).toEqual([]);
  });

  it("merges the tenant's policy over the defaults, and defaults contacts to UTC", () => {
    expect(dir.policy('acme')).toMatchObject({
      voiceAfterUnackedMs: 60_000,
      nextPersonAfterUnackedMs: 600_000,
    });
    expect(dir.policy('other')).toMatchObject({ voiceAfterUnackedMs: 900_000 });
    expect(dir.contact('acme', 'kei')).toMatchObject({ tenantId: 'acme', timeZone: 'UTC' });
  });

  it('refuses a bad file naming every problem, and unknown contact ids', () => {
    const bad = {
      tenants: {
        acme: {
          contacts: [
            {
              id: 'x',
              name: 'X',
              phone: '015112345678',
              timeZone: 'Mars/Olympus',
              quietHours: { start: '25:00', end: '07:00' },
            },
          ],
        },
      },
    };
    let error: unknown;
    try {
      routingDirectoryFrom(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).problems).toEqual([
      expect.stringContaining('tenants.acme.contacts.0.phone'),
      expect.stringContaining('tenants.acme.contacts.0.timeZone'),
      expect.stringContaining('tenants.acme.contacts.0.quietHours.start'),
    ]);
    expect(() =>
      routingDirectoryFrom({ tenants: { acme: { contacts: [], defaultContacts: ['ghost'] } } }),
    ).toThrow(/unknown contacts ghost/);
  });
});
