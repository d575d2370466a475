// Tests for series splits, train-only normalisation, windows and the time axis continuation.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../backend';
import { continueTime, featureStatistics, inferTimeStep, SeriesWindows, splitSeries } from './series';

before(() => initBackend('cpu'));

test('splits are chronological, each held-out part holds at least one horizon', () => {
  assert.deepEqual(splitSeries(1000, 48, 12, 0.1, 0.1), { trainEnd: 800, testStart: 900 });
  assert.deepEqual(splitSeries(100, 10, 12, 0.1, 0.1), { trainEnd: 76, testStart: 88 });
});

test('a series shorter than lookback + horizon is refused with the numbers and what to change', () => {
  assert.throws(() => splitSeries(50, 48, 12, 0.1, 0.1), /50 usable rows, too few for --lookback 48 and --horizon 12.*Lower --lookback or --horizon/);
  assert.throws(() => splitSeries(1, 4, 1, 0.1, 0.1), /1 usable row:/);
});

test('normalisation uses training rows only, and a constant feature does not divide by zero', () => {
  const rising = Float64Array.from({ length: 10 }, (_, i) => i);
  const constant = new Float64Array(10).fill(3);
  const { mean, std } = featureStatistics([rising, constant], 5);
  assert.deepEqual(mean, [2, 3]);
  assert.equal(std[0], Math.sqrt(2));
  assert.equal(std[1], 1);
  const windows = new SeriesWindows([rising, constant], mean, std, 3, 2);
  assert.ok(windows.values.every(Number.isFinite));
});

test('windows hold the lookback rows up to the origin and the next horizon targets', () => {
  const target = Float64Array.from({ length: 20 }, (_, i) => i);
  const input = Float64Array.from({ length: 20 }, (_, i) => 100 + i);
  const windows = new SeriesWindows([target, input], [0, 0], [1, 1], 4, 3);
  const { x, y } = windows.windows([5, 10], true);
  assert.deepEqual(x.shape, [2, 4, 2]);
  assert.deepEqual(Array.from(x.dataSync()).slice(0, 8), [2, 102, 3, 103, 4, 104, 5, 105]);
  assert.deepEqual(Array.from(y?.dataSync() ?? []), [6, 7, 8, 11, 12, 13]);
  assert.equal(windows.denormalize(2), 2);
});

test("the level channel holds the target's change since the window's origin, after the other features", () => {
  const target = Float64Array.from({ length: 20 }, (_, i) => i * i);
  const input = Float64Array.from({ length: 20 }, (_, i) => 100 + i);
  const windows = new SeriesWindows([target, input], [0, 0], [1, 1], 3, 2, { levelChannel: true });
  assert.equal(windows.inputSize, 3);
  const { x } = windows.windowArrays([5], false);
  assert.deepEqual(Array.from(x), [9, 103, 9 - 25, 16, 104, 16 - 25, 25, 105, 0]);
});

test('the time axis continues by calendar months for monthly data and by a fixed step otherwise', () => {
  const monthly = Float64Array.from([0, 1, 2, 3], (m) => Date.UTC(2024, 10 + m, 1));
  assert.deepEqual(inferTimeStep(monthly), { months: 1 });
  assert.deepEqual(continueTime(Date.UTC(2025, 1, 1), { months: 1 }, 2), [Date.UTC(2025, 2, 1), Date.UTC(2025, 3, 1)]);
  const hourly = Float64Array.from({ length: 30 }, (_, i) => Date.UTC(2024, 0, 1) + i * 3_600_000);
  assert.deepEqual(inferTimeStep(hourly), { ms: 3_600_000 });
  assert.equal(inferTimeStep(null), null);
});
