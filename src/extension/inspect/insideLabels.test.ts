// Tests of the inside view's words and numbers: signed values, the units most active at a token, spreads and the most varied unit, and the status bar and quick pick labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  activationsStatus,
  formatSigned,
  mostVariedUnit,
  readExtent,
  shownToken,
  surprisalStatus,
  topUnitsAt,
  unitScoreLine,
  unitSpreads,
} from './insideLabels';

test('signed values with a true minus, and no sign on zero', () => {
  assert.deepEqual([formatSigned(0.8249), formatSigned(-0.31), formatSigned(-0.0001), formatSigned(3.14159, 3)], ['+0.82', '−0.31', '0.00', '+3.142']);
});

test('the units most active at a token, by |value|, and each unit over the rows', () => {
  // 3 rows × 4 units
  const values = Float32Array.from([0.1, -0.9, 0.5, 0.2, 0, 0, 0, 1, 0.3, 0.9, -0.5, 0]);
  assert.deepEqual(
    topUnitsAt(values, 4, 0, 2).map((u) => u.unit),
    [1, 2],
  );
  assert.deepEqual(
    topUnitsAt(values, 4, 2, 4).map((u) => u.unit),
    [1, 2, 0, 3],
  );
  const spreads = unitSpreads(values, 4, 0, 3);
  assert.deepEqual(
    spreads.map((s) => [s.min, s.max].map((v) => Math.round(v * 10) / 10)),
    [
      [0, 0.3],
      [-0.9, 0.9],
      [-0.5, 0.5],
      [0, 1],
    ],
  );
  assert.ok(Math.abs(spreads[1].variance - (0.81 + 0.81) / 3 + 0) < 1e-6);
  assert.equal(mostVariedUnit(values, 4, 0, 3), 1);
  assert.equal(mostVariedUnit(values, 4, 1, 2), 0, 'a single row varies nowhere: the first unit');
});

test('status bar and quick pick labels', () => {
  assert.equal(activationsStatus(17, 'lstm', 'c', 1, 2), 'unit 17 · layer 2 of 2 · LSTM c');
  assert.equal(activationsStatus(3, 'gru', 'h', 0, 1), 'unit 3 · GRU h');
  assert.equal(surprisalStatus({ totalBits: 12345.4, bitsPerChar: 2.3061, scoredTokens: 5000 }), '12,345 bits · 2.31 bits/char');
  assert.equal(surprisalStatus({ totalBits: 0, bitsPerChar: Number.NaN, scoredTokens: 0 }), 'no token scored');
  assert.equal(
    unitScoreLine({ unit: 3, separation: -3.2107, auc: 0.031, interpretability: 0.8123, variance: 0.21, meanInside: 0, meanOutside: 0 }),
    'd −3.21 · AUC 0.03 · interp. 0.81 · var. 0.210',
  );
  assert.equal(readExtent({ start: 0, end: 300 }, 300), '');
  assert.equal(readExtent({ start: 0, end: 13_000 }, 351_050), ' · first 13,000 characters');
  assert.equal(readExtent({ start: 1_990_000, end: 2_014_000 }, 5_000_000), ' · characters 1,990,000–2,014,000');
  assert.equal(shownToken(' the\n'), '`␣the↵`');
  assert.equal(shownToken('a`b'), "`a'b`");
});
