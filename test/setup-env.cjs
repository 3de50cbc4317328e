// Date arithmetic in tests is done in UTC (house style: deterministic tests).
process.env.TZ = 'UTC';
