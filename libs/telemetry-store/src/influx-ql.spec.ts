import { describe, expect, it } from '@jest/globals';
import { InvalidInputError } from '@coldchain/errors';
import {
  countBeforeStatement,
  countOf,
  deleteBeforeStatement,
  latestOfTagsStatement,
  latestStatement,
  tagValuesOf,
  tagValuesStatement,
  parseBucket,
  positionFromRow,
  positionsStatement,
  qualifiedMeasurement,
  queryForm,
  quoteIdentifier,
  readingFromRow,
  readingsStatement,
  retentionPolicyNames,
  rowsOf,
  seriesOf,
} from './influx-ql.js';
import { InfluxRejectedError } from './influx-rejected.error.js';

const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);
const bucket = { database: 'coldchain', retentionPolicy: 'autogen' };

describe('parseBucket', () => {
  it('splits "<database>/<retention policy>" at the first slash, or takes a bare database', () => {
    expect(parseBucket('coldchain/autogen')).toEqual({ database: 'coldchain', retentionPolicy: 'autogen' });
    expect(parseBucket('coldchain')).toEqual({ database: 'coldchain' });
    expect(parseBucket('db/rp/x')).toEqual({ database: 'db', retentionPolicy: 'rp/x' });
  });

  it.each(['', '/autogen', 'coldchain/'])('refuses %j', (name) => {
    expect(() => parseBucket(name)).toThrow(InvalidInputError);
  });
});

describe('identifiers', () => {
  it('double-quotes identifiers, escaping backslash and double quote', () => {
    expect(quoteIdentifier('tag')).toBe('"tag"'); // TAG is an InfluxQL keyword: always quoted
    expect(quoteIdentifier('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(() => quoteIdentifier('')).toThrow(InvalidInputError);
  });

  it('qualifies a measurement with database and retention policy, or the default policy', () => {
    expect(qualifiedMeasurement(bucket, 'readings')).toBe('"coldchain"."autogen"."readings"');
    expect(qualifiedMeasurement({ database: 'coldchain' }, 'readings')).toBe('"coldchain".."readings"');
  });
});

describe('statements keep request values out of the InfluxQL text', () => {
  const hostile = `x' OR 1=1 --`;
  const hostileTenant = `t" OR "tenant" =~ /.*/ --`;

  it('binds tenant, tag, time bounds and limit of a readings query as parameters', () => {
    const s = readingsStatement(bucket, 'readings', {
      tenantId: hostileTenant,
      tag: hostile,
      from: T0,
      to: T0 + 60_000,
      limit: 10,
    });
    expect(s.q).toBe(
      'SELECT * FROM "coldchain"."autogen"."readings" WHERE "tenant" = $tenant AND "tag" = $tag ' +
        'AND time >= $from AND time < $to ORDER BY time ASC LIMIT $limit',
    );
    expect(s.q).not.toContain(hostile);
    expect(s.q).not.toContain(hostileTenant);
    expect(s.params).toEqual({
      tenant: hostileTenant,
      tag: hostile,
      from: '2026-11-23T08:00:00.000Z',
      to: '2026-11-23T08:01:00.000Z',
      limit: 10,
    });
  });

  it('asks for the newest whole point of each tag, per series', () => {
    const s = latestStatement(bucket, 'readings', hostileTenant);
    expect(s.q).toBe(
      'SELECT * FROM "coldchain"."autogen"."readings" WHERE "tenant" = $tenant GROUP BY "tag" ORDER BY time DESC LIMIT 1',
    );
    expect(s.params).toEqual({ tenant: hostileTenant });
  });

  it('pages latest readings: tag values from the index, then the newest point of the listed tags, each bound', () => {
    const t = tagValuesStatement(bucket, 'readings', hostileTenant);
    expect(t.q).toBe(
      'SHOW TAG VALUES FROM "coldchain"."autogen"."readings" WITH KEY = "tag" WHERE "tenant" = $tenant',
    );
    expect(t.params).toEqual({ tenant: hostileTenant });
    const s = latestOfTagsStatement(bucket, 'readings', hostileTenant, ['AA:01', hostile]);
    expect(s.q).toBe(
      'SELECT * FROM "coldchain"."autogen"."readings" WHERE "tenant" = $tenant AND ("tag" = $tag0 OR "tag" = $tag1) ' +
        'GROUP BY "tag" ORDER BY time DESC LIMIT 1',
    );
    expect(s.params).toEqual({ tenant: hostileTenant, tag0: 'AA:01', tag1: hostile });
    expect(() => latestOfTagsStatement(bucket, 'readings', 't', [])).toThrow(InvalidInputError);
    expect(
      tagValuesOf({
        results: [{ series: [{ name: 'readings', columns: ['key', 'value'], values: [['tag', 'AA:01']] }] }],
      }),
    ).toEqual(['AA:01']);
  });

  it("deletes one tenant's points before a time with the tenant bound, on the bare measurement (DELETE takes no retention policy)", () => {
    const d = deleteBeforeStatement('positions', 'tenant', hostileTenant, T0);
    expect(d.q).toBe('DELETE FROM "positions" WHERE "tenant" = $tenant AND time < $before');
    expect(d.params).toEqual({ tenant: hostileTenant, before: '2026-11-23T08:00:00.000Z' });
    const c = countBeforeStatement(
      { database: 'coldchain', retentionPolicy: 'positions_60d' },
      'positions',
      'lat',
      'tenant',
      hostileTenant,
      T0,
    );
    expect(c.q).toBe(
      'SELECT COUNT("lat") FROM "coldchain"."positions_60d"."positions" WHERE "tenant" = $tenant AND time < $before',
    );
    expect(c.params).toEqual(d.params);
    expect(countOf({ results: [{ series: [{ columns: ['time', 'count'], values: [[0, 3]] }] }] })).toBe(3);
    expect(countOf({ results: [{ statement_id: 0 }] })).toBe(0);
    expect(() => deleteBeforeStatement('positions', 'tenant', 't', 1.5)).toThrow(InvalidInputError);
  });

  it('binds tenant and hub of a positions query', () => {
    const s = positionsStatement(
      { database: 'coldchain', retentionPolicy: 'positions_60d' },
      'positions',
      't-1',
      hostile,
      T0,
      T0 + 1,
      5,
    );
    expect(s.q).toContain(
      'FROM "coldchain"."positions_60d"."positions" WHERE "tenant" = $tenant AND "hub" = $hub',
    );
    expect(s.params).toMatchObject({ tenant: 't-1', hub: hostile, limit: 5 });
  });

  it.each([
    ['a limit of 0 (which InfluxQL reads as "no limit")', { limit: 0 }],
    ['a fractional limit', { limit: 1.5 }],
    ['a fractional time', { from: T0 + 0.5 }],
    ['a time out of the Date range', { to: 9e15 }],
  ])('refuses %s', (_what, patch) => {
    expect(() =>
      readingsStatement(bucket, 'readings', {
        tenantId: 't',
        tag: 'a',
        from: T0,
        to: T0 + 1,
        limit: 1,
        ...patch,
      }),
    ).toThrow(InvalidInputError);
  });

  it('form-encodes db, q, epoch=ms and the JSON params', () => {
    const form = new URLSearchParams(queryForm('coldchain', latestStatement(bucket, 'readings', "a&b='c'")));
    expect(form.get('db')).toBe('coldchain');
    expect(form.get('epoch')).toBe('ms');
    expect(JSON.parse(form.get('params') ?? '')).toEqual({ tenant: "a&b='c'" });
  });
});

describe('answers', () => {
  it('reads the first statement’s series, and throws on a statement error or a server-cut result', () => {
    const series = [{ name: 'readings', columns: ['time'], values: [[1]] }];
    expect(seriesOf({ results: [{ statement_id: 0, series }] })).toEqual(series);
    expect(seriesOf({ results: [{ statement_id: 0 }] })).toEqual([]);
    expect(() => seriesOf({ results: [{ statement_id: 0, error: 'database not found: x' }] })).toThrow(
      InfluxRejectedError,
    );
    expect(() => seriesOf({ results: [{ statement_id: 0, partial: true, series }] })).toThrow(
      /max-row-limit/,
    );
    expect(() => seriesOf({})).toThrow(InfluxRejectedError);
  });

  it('ignores the partial flag InfluxDB 1.x leaves on merged series of a complete answer', () => {
    const series = [{ name: 'readings', columns: ['time'], values: [[1]], partial: true }];
    expect(seriesOf({ results: [{ statement_id: 0, series }] })).toHaveLength(1);
  });

  it('merges series tags into rows (GROUP BY "tag" moves the tag out of the columns)', () => {
    expect(
      rowsOf({ name: 'readings', tags: { tag: 'AA' }, columns: ['time', 'hub'], values: [[T0, 'h']] }),
    ).toEqual([{ tag: 'AA', time: T0, hub: 'h' }]);
  });

  it('maps a row to a reading with only the fields that were written (nulls are absent)', () => {
    const row = {
      time: T0,
      tenant: 't-1',
      tag: 'AA',
      hub: '490154203237518',
      received_at: T0 + 500,
      seq: null,
      profile: null,
      temperature: 4.25,
      humidity: null,
      co2: null,
      door: 0,
      battery: null,
      rssi: -70,
    };
    expect(readingFromRow(row)).toStrictEqual({
      tenantId: 't-1',
      tag: 'AA',
      ts: T0,
      hub: '490154203237518',
      receivedAt: T0 + 500,
      temperature: 4.25,
      door: 'closed',
      rssi: -70,
    });
    expect(readingFromRow({ ...row, door: 1, seq: 7, profile: 'p' })).toMatchObject({
      door: 'open',
      seq: 7,
      profileId: 'p',
    });
    expect(() => readingFromRow({ ...row, hub: null })).toThrow(InfluxRejectedError);
  });

  it('maps a row to a position, leaving absent optional fields out', () => {
    expect(
      positionFromRow({ time: T0, tenant: 't', hub: 'h', lat: 1, lon: 2, alt: null, speed: 80, hdop: null }),
    ).toStrictEqual({ tenantId: 't', hub: 'h', fixAt: T0, lat: 1, lon: 2, speed: 80 });
  });

  it('lists retention policy names', () => {
    expect(
      retentionPolicyNames({
        results: [
          {
            statement_id: 0,
            series: [
              {
                columns: ['name', 'duration', 'shardGroupDuration', 'replicaN', 'default'],
                values: [
                  ['autogen', '0s', '168h0m0s', 1, true],
                  ['positions_60d', '1440h0m0s', '24h0m0s', 1, false],
                ],
              },
            ],
          },
        ],
      }),
    ).toEqual(['autogen', 'positions_60d']);
  });
});
