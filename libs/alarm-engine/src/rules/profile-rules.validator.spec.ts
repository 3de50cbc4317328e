import { describe, expect, it } from '@jest/globals';
import { ProfileCompiler } from './profile.compiler.js';
import { InvalidProfileError } from './invalid-profile.error.js';
import { validateProfile, validateProfileRules } from './profile-rules.validator.js';
import { MIN, profile } from '../testing/alarm-engine.fixtures.js';

const VACCINES = {
  temperature: {
    low: {
      warning: { bound: 2, delayMs: 15 * MIN },
      critical: { bound: 0, delayMs: 5 * MIN },
      hysteresis: 0.5,
    },
    high: {
      warning: { bound: 8, delayMs: 15 * MIN },
      critical: { bound: 12 },
      hysteresis: 0.5,
      budgetMs: 60 * MIN,
      repeatMs: 30 * MIN,
    },
  },
  humidity: { high: { warning: { bound: 85 } } },
  co2: { high: { critical: { bound: 5000 } } },
  battery: { low: { warning: { bound: 20 }, critical: { bound: 5 } } },
  door: {
    open: {
      warning: { afterMs: 5 * MIN },
      critical: { afterMs: 15 * MIN },
      budgetMs: 60 * MIN,
      tripOnly: true,
    },
  },
  tag: { silent: { warning: { afterMs: 30 * MIN } } },
  hub: { offline: { critical: { afterMs: 15 * MIN } } },
};

describe('validateProfileRules (a bad profile is refused when saved)', () => {
  it('accepts a complete, consistent rule set', () => {
    expect(validateProfileRules(VACCINES)).toEqual([]);
    expect(validateProfileRules(undefined)).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    [
      'min above max',
      { temperature: { low: { warning: { bound: 9 } }, high: { warning: { bound: 8 } } } },
      'rules.temperature: the low bound (9) is above the high bound (8)',
    ],
    [
      'high: warning outside critical',
      { temperature: { high: { warning: { bound: 13 }, critical: { bound: 12 } } } },
      'rules.temperature.high: warning bound (13) is above the critical bound (12)',
    ],
    [
      'low: warning outside critical',
      { temperature: { low: { warning: { bound: -1 }, critical: { bound: 0 } } } },
      'rules.temperature.low: warning bound (-1) is below the critical bound (0)',
    ],
    [
      'negative delay',
      { temperature: { high: { warning: { bound: 8, delayMs: -1 } } } },
      'rules.temperature.high.warning.delayMs must be a number of ms',
    ],
    [
      'no level',
      { temperature: { high: { hysteresis: 1 } } },
      'rules.temperature.high needs a warning or a critical level',
    ],
    [
      'NaN bound',
      { temperature: { high: { warning: { bound: Number.NaN } } } },
      'rules.temperature.high.warning.bound must be a finite number',
    ],
    [
      'bound outside physics',
      { humidity: { high: { warning: { bound: 120 } } } },
      'rules.humidity.high.warning.bound (120) is outside the physical range 0…100',
    ],
    [
      'negative hysteresis',
      { temperature: { high: { warning: { bound: 8 }, hysteresis: -0.5 } } },
      'rules.temperature.high.hysteresis must be a number ≥ 0',
    ],
    [
      'hysteresis past the opposite bound',
      { temperature: { low: { warning: { bound: 2 } }, high: { warning: { bound: 8 }, hysteresis: 7 } } },
      'rules.temperature.high.hysteresis (7) would clear only below the low bound (2)',
    ],
    [
      'critical duration shorter than warning',
      { door: { open: { warning: { afterMs: 10 * MIN }, critical: { afterMs: 5 * MIN } } } },
      'rules.door.open: critical.afterMs (300000) is shorter than warning.afterMs (600000)',
    ],
    [
      'silence shorter than a minute',
      { tag: { silent: { warning: { afterMs: 1000 } } } },
      'rules.tag.silent.warning.afterMs must be a number of ms in 60000…',
    ],
    [
      'budget on an absence rule',
      { hub: { offline: { warning: { afterMs: 10 * MIN }, budgetMs: 10 * MIN } } },
      'rules.hub.offline.budgetMs: a budget applies to measured conditions',
    ],
    [
      'reminders every second',
      { temperature: { high: { warning: { bound: 8 }, repeatMs: 1000 } } },
      'rules.temperature.high.repeatMs must be 0 (no reminders) or between 60000',
    ],
    [
      'zero budget',
      { temperature: { high: { warning: { bound: 8 }, budgetMs: 0 } } },
      'rules.temperature.high.budgetMs must be a number of ms',
    ],
    [
      'misspelt rule group',
      { temprature: { high: { warning: { bound: 8 } } } },
      'rules.temprature: unknown rule group',
    ],
    [
      'misspelt setting',
      { temperature: { high: { warning: { bound: 8 }, hysterisis: 1 } } },
      'rules.temperature.high.hysterisis: unknown setting',
    ],
    ['unknown rule', { co2: { low: { warning: { bound: 300 } } } }, 'rules.co2.low: unknown rule'],
    [
      'unknown time zone',
      {
        temperature: {
          high: {
            warning: { bound: 8 },
            schedule: { timeZone: 'Mars/Olympus', windows: [{ days: [1], from: '08:00', to: '18:00' }] },
          },
        },
      },
      'rules.temperature.high.schedule.timeZone must be an IANA time zone',
    ],
    [
      'bad weekday',
      {
        temperature: {
          high: {
            warning: { bound: 8 },
            schedule: { timeZone: 'UTC', windows: [{ days: [0], from: '08:00', to: '18:00' }] },
          },
        },
      },
      'windows[0].days must list distinct ISO weekdays',
    ],
    [
      'malformed time',
      {
        temperature: {
          high: {
            warning: { bound: 8 },
            schedule: { timeZone: 'UTC', windows: [{ days: [1], from: '8h', to: '18:00' }] },
          },
        },
      },
      'windows[0].from must be a time "HH:MM"',
    ],
    [
      'empty window',
      {
        temperature: {
          high: {
            warning: { bound: 8 },
            schedule: { timeZone: 'UTC', windows: [{ days: [1], from: '08:00', to: '08:00' }] },
          },
        },
      },
      'windows[0]: from and to are equal',
    ],
    [
      'tripOnly not a boolean',
      { temperature: { high: { warning: { bound: 8 }, tripOnly: 'yes' } } },
      'rules.temperature.high.tripOnly must be a boolean',
    ],
    ['not an object', [1, 2], 'rules must be an object'],
  ])('refuses %s', (_name, rules, problem) => {
    const problems = validateProfileRules(rules);
    expect(problems.filter((p) => p.includes(problem))).toHaveLength(1);
  });

  it('accepts a whole-day window (00:00–24:00) and a window past midnight', () => {
    const schedule = {
      timeZone: 'Europe/Paris',
      windows: [
        { days: [6, 7], from: '00:00', to: '24:00' },
        { days: [1], from: '18:00', to: '08:00' },
      ],
    };
    expect(validateProfileRules({ door: { open: { warning: { afterMs: MIN }, schedule } } })).toEqual([]);
  });

  it('validateProfile adds the domain checks of the profile itself', () => {
    expect(validateProfile({ ...profile(undefined), name: ' ', temperature: { min: 9, max: 8 } })).toEqual([
      'name must not be empty',
      'temperature.min (9) must not be above temperature.max (8)',
    ]);
  });

  it('the compiler refuses an invalid profile with a non-retriable InvalidProfileError naming every problem', () => {
    const bad = profile({
      temperature: {
        high: { warning: { bound: 13 }, critical: { bound: 12 } },
        low: { warning: { bound: 20 } },
      },
    });
    let caught: unknown;
    try {
      new ProfileCompiler().compile(bad);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidProfileError);
    const err = caught as InvalidProfileError;
    expect(err.retriable).toBe(false);
    expect(err.code).toBe('invalid_input');
    expect(err.problems).toHaveLength(2);
  });
});
