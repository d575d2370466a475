// Unit tests for forecast metrics, naive baselines, season detection and rolling-origin evaluation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  baselineForecasters,
  detectSeason,
  mae,
  mase,
  naiveForecast,
  naiveMaeScale,
  rmse,
  rollingOriginEvaluate,
  seasonalNaiveForecast,
  smape,
} from './seriesMetrics';

/** Deterministic standard normal noise (mulberry32 + Box-Muller). */
function gaussianNoise(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

function makeSeries(length: number, value: (t: number) => number): Float64Array {
  return Float64Array.from({ length }, (_, t) => value(t));
}

describe('error metrics', () => {
  const actual = [1, 2, 3, 4];
  const forecast = [2, 2, 5, 0];

  it('computes MAE, RMSE and sMAPE by hand', () => {
    assert.equal(mae(actual, forecast), 1.75);
    assert.ok(Math.abs(rmse(actual, forecast) - Math.sqrt(21 / 4)) < 1e-12);
    assert.ok(Math.abs(smape(actual, forecast) - (200 / 3 + 0 + 50 + 200) / 4) < 1e-12);
  });

  it('counts sMAPE as 0 when actual and forecast are both 0', () => {
    assert.equal(smape([0, 2], [0, 2]), 0);
    assert.equal(smape([0], [1]), 200);
  });

  it('scales MASE and returns NaN (null in JSON) for a zero scale', () => {
    assert.equal(mase(2, 4), 0.5);
    assert.ok(Number.isNaN(mase(1, 0)));
    assert.equal(JSON.stringify({ mase: mase(1, 0) }), '{"mase":null}');
    assert.equal(naiveMaeScale([1, 3, 2, 5], 3), 1.5);
  });

  it('rejects arrays of different lengths', () => {
    assert.throws(() => mae([1, 2], [1]), RangeError);
  });
});

describe('naive baselines', () => {
  it('repeats the last value', () => {
    assert.deepEqual([...naiveForecast([1, 2, 3], 2)], [3, 3]);
  });

  it('repeats the last season', () => {
    assert.deepEqual([...seasonalNaiveForecast([1, 2, 3, 4, 5], 5, 3)], [3, 4, 5, 3, 4]);
    assert.throws(() => seasonalNaiveForecast([1, 2], 1, 3), RangeError);
  });
});

describe('detectSeason', () => {
  it('finds 24 on hourly data with a daily cycle (and a weaker weekly one)', () => {
    const noise = gaussianNoise(1);
    const hourly = makeSeries(24 * 7 * 12, (t) => 10 + 0.002 * t + 3 * Math.sin((2 * Math.PI * t) / 24) + (Math.floor(t / 24) % 7 >= 5 ? -1 : 0) + noise());
    assert.equal(detectSeason(hourly).season, 24);
  });

  it('finds 12 on monthly data', () => {
    const noise = gaussianNoise(2);
    const monthly = makeSeries(120, (t) => 100 + 0.5 * t + 15 * Math.sin((2 * Math.PI * t) / 12) + 8 * Math.cos((4 * Math.PI * t) / 12) + 3 * noise());
    assert.equal(detectSeason(monthly).season, 12);
  });

  it('finds 7 on daily data with a weekly cycle', () => {
    const noise = gaussianNoise(3);
    const weekdayLevels = [5, 6, 6, 6, 7, 2, 1];
    const daily = makeSeries(730, (t) => weekdayLevels[t % 7] + noise());
    assert.equal(detectSeason(daily).season, 7);
  });

  it('returns null on white noise', () => {
    const noise = gaussianNoise(4);
    const result = detectSeason(makeSeries(2000, () => noise()));
    assert.equal(result.season, null);
    assert.ok(result.acf < 0.3);
  });
});

describe('rollingOriginEvaluate', () => {
  it('scores a hand-computed naive forecast with MASE on the training part', () => {
    const series = [1, 2, 3, 4, 5, 6];
    const result = rollingOriginEvaluate({ series, testStart: 4, horizon: 2, forecasters: baselineForecasters(series, 2, null) });
    assert.deepEqual(result.origins, [3]);
    assert.equal(result.pairs, 2);
    assert.deepEqual(result.scores.naive, { mae: 1.5, rmse: Math.sqrt(2.5), smape: ((200 * 1) / 9 + (200 * 2) / 10) / 2, mase: 1.5 });
  });

  it('gives seasonal naive MAE 0 on a purely seasonal series', () => {
    const series = makeSeries(96, (t) => [3, 1, 4, 1, 5, 9][t % 6]);
    const result = rollingOriginEvaluate({ series, testStart: 72, horizon: 6, forecasters: baselineForecasters(series, 6, 6) });
    assert.equal(result.scores.seasonalNaive.mae, 0);
    assert.ok(result.scores.naive.mae > 0);
  });

  it('strides origins evenly, keeps the last forecasts and skips missing actuals', () => {
    const series = makeSeries(20, (t) => t);
    series[18] = NaN;
    const result = rollingOriginEvaluate({
      series,
      testStart: 10,
      horizon: 3,
      origins: 3,
      keepLastForecasts: 1,
      forecasters: { constant: () => [0, 0, 0] },
    });
    assert.deepEqual(result.origins, [9, 13, 16]);
    assert.equal(result.pairs, 8);
    assert.deepEqual(result.lastForecasts, [{ origin: 16, forecasts: { constant: new Float64Array(3) } }]);
  });

  it('rejects a forecaster that returns too few values and a test segment shorter than the horizon', () => {
    const series = makeSeries(10, (t) => t);
    assert.throws(() => rollingOriginEvaluate({ series, testStart: 8, horizon: 2, forecasters: { short: () => [1] } }), /returned 1 values/);
    assert.throws(() => rollingOriginEvaluate({ series, testStart: 9, horizon: 2, forecasters: {} }), RangeError);
  });
});
