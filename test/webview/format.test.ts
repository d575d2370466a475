// Tests of the dashboard's number formatting: chart tick labels keep neighbours apart at any scale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tickLabels } from '../../webview/format';

test('tick labels carry the decimals their spacing needs, so neighbouring ticks never read alike', () => {
  assert.deepEqual(tickLabels([0, 0.0002, 0.0004, 0.0006], 0.0002), ['0.0000', '0.0002', '0.0004', '0.0006']);
  assert.deepEqual(tickLabels([1, 1.5, 2, 2.5], 0.5), ['1.0', '1.5', '2.0', '2.5']);
  assert.deepEqual(tickLabels([0, 500, 1000, 1500], 500), ['0', '500', '1,000', '1,500']);
  assert.deepEqual(tickLabels([1e-8, 2e-8], 1e-8), ['1.00e-8', '2.00e-8']);
});

test('on a log scale (no even spacing) each tick is formatted alone', () => {
  assert.deepEqual(tickLabels([0.5, 1, 2, 5], null), ['0.5', '1', '2', '5']);
});
