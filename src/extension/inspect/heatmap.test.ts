// Tests of the dashboard's heatmap: the selection's tokens with values, the rows of the units asked for, buckets on the editor's scale, and the tokens left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PackedActivations } from '../../shared/inspect';
import { buildHeatmap } from './heatmap';

/** Activations of "abcdef" (one token a character) for 3 units, with values for tokens 1 to 5 only. */
function activations(state: 'h' | 'c'): PackedActivations {
  const rows = [
    [0.5, -2, 0],
    [0.05, 4, 0.3],
    [-0.9, -1, 0.6],
    [1, 0, -0.2],
    [0.2, 8, 0],
  ];
  return {
    tokens: [...'abcdef'],
    offsets: [0, 1, 2, 3, 4, 5],
    unknown: [],
    stream: { scoring: 'carried', seqLen: 64 },
    cell: 'lstm',
    layers: 1,
    layer: 0,
    state,
    units: 3,
    values: Float32Array.from(rows.flat()),
    valuesFrom: 1,
  };
}

test("the selection's tokens, each unit's row of values in the order asked, and h's buckets on ±1", () => {
  const heat = buildHeatmap(activations('h'), { start: 2, end: 5 }, [2, 0]);
  assert.deepEqual(heat.tokens, ['c', 'd', 'e']);
  assert.deepEqual(heat.units, [2, 0]);
  assert.deepEqual(
    heat.values.map((row) => row.map((v) => Math.round(v * 100) / 100)),
    [
      [0.3, 0.6, -0.2],
      [0.05, -0.9, 1],
    ],
  );
  assert.deepEqual(heat.buckets, [
    [1, 3, -1],
    [0, -4, 4],
  ]);
  assert.equal(heat.truncated, 0);
});

test("an LSTM's c is scaled by the unit's largest |c| in the selection; tokens without values and past the limit are left out", () => {
  const heat = buildHeatmap(activations('c'), { start: 0, end: 6 }, [1], 3);
  // Token "a" has no row (values start at token 1); "b" to "d" are shown, "e" and "f" left out.
  assert.deepEqual(heat.tokens, ['b', 'c', 'd']);
  assert.equal(heat.truncated, 2);
  // c of unit 1 over the rows shown: −2, 4, −1 → scale 4.
  assert.deepEqual(heat.buckets, [[-2, 4, -1]]);
});
