import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAge, formatDuration } from './age.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

test('formatDuration matches Kubernetes HumanDuration', () => {
  const cases: Array<[number, string]> = [
    [-3 * s, '<invalid>'], [-1500, '0s'], [-500, '0s'], [0, '0s'], [999, '0s'], [59 * s, '59s'], [119 * s, '119s'],
    [120 * s, '2m'], [130 * s, '2m10s'], [9 * m + 59 * s, '9m59s'], [10 * m + 30 * s, '10m'], [179 * m, '179m'],
    [3 * h, '3h'], [3 * h + 5 * m, '3h5m'], [7 * h + 59 * m, '7h59m'], [8 * h + 30 * m, '8h'], [47 * h, '47h'],
    [48 * h, '2d'], [50 * h, '2d2h'], [7 * d + 23 * h, '7d23h'], [8 * d, '8d'], [729 * d, '729d'],
    [730 * d, '2y'], [731 * d, '2y1d'], [8 * 365 * d, '8y'], [9 * 365 * d + 5 * d, '9y'],
  ];
  for (const [ms, expected] of cases) assert.equal(formatDuration(ms), expected, `${ms} ms`);
});

test('formatAge uses the injected clock', () => {
  const created = new Date('2024-05-01T10:00:00Z');
  assert.equal(formatAge(created, new Date('2024-05-01T10:05:00Z')), '5m');
  assert.equal(formatAge(created, new Date('2024-05-01T10:02:10Z')), '2m10s');
});
