// Unit tests for forecast metrics, naive baselines and rolling-origin evaluation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { baselineForecasters, mae, mase, naiveForecast, naiveMaeScale, rmse, rollingOriginEvaluate, seasonalNaiveForecast, smape } from './seriesMetrics';

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

describe('rollingOriginEvaluate', () => {
  it('scores a hand-computed naive forecast with MASE on the training part', () => {
    const series = [1, 2, 3, 4, 5, 6];
    const result = rollingOriginEvaluate({ series, testStart: 4, horizon: 2, forecasters: baselineForecasters(series, 2, null) });
    assert.deepEqual(result.origins, [3]);
    assert.equal(result.pairs, 2);
    assert.deepEqual(result.scores.naive, { mae: 1.5, rmse: Math.sqrt(2.5), smape: ((200 * 1) / 9 + (200 * 2) / 10) / 2, mase: 1.5, maeByStep: [1, 2] });
  });

  it('gives MAE by horizon step whose mean is the overall MAE when every pair is finite', () => {
    const series = [0, 1, 4, 9, 16, 25, 36, 49];
    const result = rollingOriginEvaluate({ series, testStart: 4, horizon: 2, forecasters: { constant: () => [10, 20] } });
    assert.deepEqual(result.origins, [3, 4, 5]);
    const { mae: overall, maeByStep } = result.scores.constant;
    assert.deepEqual(maeByStep, [(6 + 15 + 26) / 3, (5 + 16 + 29) / 3]);
    assert.ok(Math.abs((maeByStep[0] + maeByStep[1]) / 2 - overall) < 1e-12);
  });

  it('scores interval half-widths per forecaster, keyed by level in percent', () => {
    const series = [1, 2, 3, 4, 5, 6];
    const forecasters = baselineForecasters(series, 2, null);
    const halfWidths = { naive: { levels: [0.8], widths: [[1.5, 1]] } };
    const result = rollingOriginEvaluate({ series, testStart: 4, horizon: 2, forecasters, halfWidths });
    // Forecast 4 at both steps: [2.5, 5.5] covers 5 (score 3); [3, 5] misses 6 by 1 (score 2 + 1 · 2/0.2).
    const scores = result.scores.naive.intervals?.['80'];
    assert.ok(scores !== undefined);
    assert.equal(scores.coverage, 0.5);
    assert.equal(scores.width, 2.5);
    assert.ok(Math.abs(scores.winkler - (3 + 12) / 2) < 1e-9);
    assert.equal(rollingOriginEvaluate({ series, testStart: 4, horizon: 2, forecasters }).scores.naive.intervals, undefined);
    const misnamed = { model: halfWidths.naive };
    assert.throws(() => rollingOriginEvaluate({ series, testStart: 4, horizon: 2, forecasters, halfWidths: misnamed }), /"model", which is not/);
    const short = { naive: { levels: [0.8, 0.95], widths: [[1, 1]] } };
    assert.throws(() => rollingOriginEvaluate({ series, testStart: 4, horizon: 2, forecasters, halfWidths: short }), /2 steps for each of its 2 levels/);
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
    assert.deepEqual(result.scores.constant.maeByStep, [(10 + 14 + 17) / 3, (11 + 15) / 2, (12 + 16 + 19) / 3]);
    assert.deepEqual(result.lastForecasts, [{ origin: 16, forecasts: { constant: new Float64Array(3) } }]);
  });

  it('rejects a forecaster that returns too few values and a test segment shorter than the horizon', () => {
    const series = makeSeries(10, (t) => t);
    assert.throws(() => rollingOriginEvaluate({ series, testStart: 8, horizon: 2, forecasters: { short: () => [1] } }), /returned 1 values/);
    assert.throws(() => rollingOriginEvaluate({ series, testStart: 9, horizon: 2, forecasters: {} }), RangeError);
  });
});
