// Tests of the inside view's colour scales: activation buckets are symmetric with a dead zone and four equal steps, surprisal buckets follow their edges, and every bucket has a translucent colour for light and dark themes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activationBucket, activationColor, activationScale, bucketMeaning, coloredBuckets, surprisalBucket, surprisalColor } from './colorScale';

test('activation buckets: none within ±0.1, then four equal steps up to ±1, the last one beyond it, symmetric in sign', () => {
  const cases: [number, number][] = [
    [0, 0],
    [0.0999, 0],
    [0.1, 1],
    [0.32, 1],
    [0.33, 2],
    [0.55, 3],
    [0.774, 3],
    [0.775, 4],
    [1, 4],
    [7, 4],
  ];
  for (const [value, bucket] of cases) {
    assert.equal(activationBucket(value, 1), bucket, `${value}`);
    assert.equal(activationBucket(-value, 1), -bucket || 0, `${-value}`);
  }
  assert.equal(activationBucket(Number.NaN, 1), 0);
  // A scale stretches the steps: an LSTM's c of 4 on a scale of 8 is half way.
  assert.equal(activationBucket(4, 8), activationBucket(0.5, 1));
});

test("the scale: 1 for h; for c the unit's largest |value| in the text read, never 0", () => {
  const values = Float32Array.from([0.5, -3, 0.1, 2, -0.2, 1]); // 3 rows × 2 units
  assert.equal(activationScale('h', values, 2, 1), 1);
  assert.equal(activationScale('c', values, 2, 0), 0.5);
  assert.equal(activationScale('c', values, 2, 1), 3);
  assert.equal(activationScale('c', new Float32Array(4), 2, 0), 1);
});

test('surprisal buckets: none under 1 bit or unscored, then 1-2, 2-4, 4-6, 6-9 and 9+ bits', () => {
  const cases: [number | null, number][] = [
    [null, 0],
    [0, 0],
    [0.99, 0],
    [1, 1],
    [1.99, 1],
    [2, 2],
    [5, 3],
    [6, 4],
    [8.9, 4],
    [9, 5],
    [40, 5],
    [Number.NaN, 0],
  ];
  for (const [bits, bucket] of cases) assert.equal(surprisalBucket(bits), bucket, `${bits}`);
});

test('every coloured bucket has a translucent background for light and dark themes, stronger with the level, blue below zero and orange above', () => {
  assert.deepEqual(coloredBuckets('activations'), [-4, -3, -2, -1, 1, 2, 3, 4]);
  assert.deepEqual(coloredBuckets('surprisal'), [1, 2, 3, 4, 5]);
  const alpha = (color: string) => Number(/rgba\(\d+, \d+, \d+, ([\d.]+)\)/.exec(color)?.[1]);
  for (const theme of ['light', 'dark'] as const) {
    const positive = [1, 2, 3, 4].map((b) => alpha(activationColor(b)[theme]));
    const negative = [1, 2, 3, 4].map((b) => alpha(activationColor(-b)[theme]));
    const surprise = [1, 2, 3, 4, 5].map((b) => alpha(surprisalColor(b)[theme]));
    for (const levels of [positive, negative, surprise]) {
      assert.ok(
        levels.every((a, i) => a > 0 && a <= 0.65 && (i === 0 || a > levels[i - 1])),
        `${theme}: ${levels} rise and stay translucent enough to read the text`,
      );
    }
    assert.deepEqual(positive, negative, 'the two sides are equally strong');
  }
  assert.match(activationColor(2).light, /^rgba\(230, 97, 1,/);
  assert.match(activationColor(-2).dark, /^rgba\(90, 160, 255,/);
});

test("each bucket's meaning for the legend", () => {
  assert.equal(bucketMeaning('activations', 1), '+0.10 to +0.33');
  assert.equal(bucketMeaning('activations', -4), '−0.78 or beyond');
  assert.equal(bucketMeaning('activations', 2, 10), '+3.25 to +5.50');
  assert.equal(bucketMeaning('surprisal', 1), '1 to 2 bits');
  assert.equal(bucketMeaning('surprisal', 5), '9+ bits');
});
