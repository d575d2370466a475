// Unit tests for split-conformal intervals: residual collection, conformal quantiles, Winkler scores, coverage and level parsing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { conformalHalfWidths, levelKey, parseLevels, residualsByStep, scoreIntervals, winklerScore } from './intervals';
import { rollingOriginEvaluate } from './seriesMetrics';
import { Rng } from '../rng';
import { UsageError } from '../../shared/options';

/** Deterministic standard normal noise. */
function gaussianNoise(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.gaussian();
}

function assertClose(actual: number, expected: number, tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);
}

describe('residualsByStep', () => {
  it('collects absolute residuals per step, skipping missing actuals and pairs past the end', () => {
    const residuals = residualsByStep([0, 1, 2, NaN, 4], [0, 2, 3], () => [1, 1], 2);
    assert.deepEqual(residuals, [Float64Array.from([0, 3]), Float64Array.from([1, 3])]);
  });

  it('rejects a forecaster that returns too few values', () => {
    assert.throws(() => residualsByStep([0, 1, 2], [0], () => [1], 2), /returned 1 values at origin 0; expected 2/);
  });
});

describe('conformalHalfWidths', () => {
  it('takes the order statistic of rank ceil((n+1)·level)', () => {
    const residuals = Float64Array.from([5, 1, 4, 2, 3, 9, 8, 7, 6, 10]);
    // n = 10: rank ceil(8.8) = 9 for 80%, ceil(5.5) = 6 for 50%; 95% needs rank 11 > n, so the largest residual.
    assert.deepEqual(conformalHalfWidths([residuals], [0.8, 0.5, 0.95]), [[9], [6], [10]]);
    // n = 24 at 56%: (n+1)·level is 14.000000000000002 in floating point, and the rank must still be 14.
    assert.deepEqual(conformalHalfWidths([Float64Array.from({ length: 24 }, (_, i) => 24 - i)], [0.56]), [[14]]);
  });

  it('pools neighbouring steps only for a step with too few residuals', () => {
    const ones = new Float64Array(20).fill(1);
    const threes = new Float64Array(20).fill(3);
    // Step 1 alone would give 100; pooled with steps 0 and 2 (42 residuals) rank ceil(43·0.8) = 35 is a 3.
    assert.deepEqual(conformalHalfWidths([ones, Float64Array.from([100, 100]), threes], [0.8]), [[1, 3, 3]]);
    assert.deepEqual(conformalHalfWidths([new Float64Array(0), new Float64Array(0)], [0.8]), [[NaN, NaN]]);
  });

  it('rejects levels outside (0, 1)', () => {
    assert.throws(() => conformalHalfWidths([Float64Array.from([1])], [80]), /strictly between 0 and 1, not 80/);
    assert.throws(() => conformalHalfWidths([Float64Array.from([1])], [0]), RangeError);
  });

  it('covers about 80% and 95% of new points on a series with known Gaussian noise', () => {
    const noise = gaussianNoise(7);
    const mean = (t: number) => 5 * Math.sin((2 * Math.PI * t) / 50);
    const series = Float64Array.from({ length: 8000 }, (_, t) => mean(t) + noise());
    const horizon = 5;
    const truth = (origin: number) => Float64Array.from({ length: horizon }, (_, step) => mean(origin + 1 + step));
    const calibration = Array.from({ length: 4000 - horizon }, (_, origin) => origin);
    const levels = [0.8, 0.95];
    const widths = conformalHalfWidths(residualsByStep(series, calibration, truth, horizon), levels);
    widths[0].forEach((width) => assertClose(width, 1.2816, 0.1));
    widths[1].forEach((width) => assertClose(width, 1.96, 0.15));
    const result = rollingOriginEvaluate({ series, testStart: 4000, horizon, forecasters: { truth }, halfWidths: { truth: { levels, widths } } });
    const intervals = result.scores.truth.intervals ?? {};
    assert.deepEqual(Object.keys(intervals), ['80', '95']);
    assertClose(intervals['80'].coverage, 0.8, 0.03);
    assertClose(intervals['95'].coverage, 0.95, 0.03);
  });
});

describe('interval scores', () => {
  it('computes the Winkler score inside, below and above the interval', () => {
    assertClose(winklerScore(2, 1, 3, 0.9), 2);
    assertClose(winklerScore(0, 1, 3, 0.9), 2 + 20 * 1);
    assertClose(winklerScore(4.5, 1, 3, 0.9), 2 + 20 * 1.5);
  });

  it('averages coverage, width and Winkler score over pairs', () => {
    const scores = scoreIntervals([2, 0, 4.5], [2, 2, 2], [1, 1, 1], 0.9);
    assertClose(scores.coverage, 1 / 3);
    assertClose(scores.width, 2);
    assertClose(scores.winkler, (2 + 22 + 32) / 3);
    assert.throws(() => scoreIntervals([1], [1, 2], [1], 0.9), RangeError);
  });

  it('keys levels by their percent without float noise', () => {
    assert.deepEqual([0.8, 0.95, 0.975, 0.5, 0.999].map(levelKey), ['80', '95', '97.5', '50', '99.9']);
  });
});

describe('parseLevels', () => {
  it('parses comma-separated percentages in order', () => {
    assert.deepEqual(parseLevels('80,95'), [80, 95]);
    assert.deepEqual(parseLevels(' 97.5 , 50 '), [97.5, 50]);
  });

  it('rejects bad input with a one-line UsageError', () => {
    const cases: [string, RegExp][] = [
      ['', /^Interval levels are empty/],
      ['  ', /^Interval levels are empty/],
      ['80,,95', /have an empty item/],
      ['80,abc', /"abc" is not a number/],
      ['1e2', /"1e2" is not a number/],
      ['0', /level 0 is outside the range: .* strictly between 0 and 100/],
      ['80,100', /level 100 is outside the range/],
      ['-5', /level -5 is outside the range/],
      ['80,95,80.0', /level 80.0 is given twice/],
    ];
    for (const [text, message] of cases) {
      assert.throws(
        () => parseLevels(text),
        (error: unknown) => error instanceof UsageError && message.test(error.message) && !error.message.includes('\n'),
        `parseLevels(${JSON.stringify(text)})`,
      );
    }
  });
});
