// Unit tests for the ETS (additive Holt-Winters) baseline: parameter recovery, trend choice, causality and edge cases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { etsForecaster, fitEts } from './ets';
import { baselineForecasters, rollingOriginEvaluate } from './seriesMetrics';
import { Rng } from '../rng';

/** Deterministic standard normal noise. */
function gaussianNoise(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.gaussian();
}

/** Simulates ETS(A,A,A): y_t = l + b + s_{t−m} + e_t, then the error-correction updates with the given smoothing. */
function simulateHoltWinters(length: number, m: number, alpha: number, beta: number, gamma: number, seed: number): Float64Array {
  const noise = gaussianNoise(seed);
  const seasonal = Array.from({ length: m }, (_, i) => 10 * Math.sin((2 * Math.PI * i) / m));
  let level = 100;
  let slope = 0.05;
  return Float64Array.from({ length }, (_, t) => {
    const error = noise();
    const seasonBefore = seasonal[t % m];
    const value = level + slope + seasonBefore + error;
    level += slope + alpha * error;
    slope += beta * error;
    seasonal[t % m] = seasonBefore + gamma * error;
    return value;
  });
}

describe('fitEts', () => {
  it('recovers the smoothing parameters of a simulated additive Holt-Winters series and picks a trend model', () => {
    const series = simulateHoltWinters(3000, 12, 0.3, 0.05, 0.2, 11);
    const fit = fitEts(series, series.length, 12);
    assert.equal(fit.season, 12);
    assert.notEqual(fit.trend, 'none');
    assert.ok(Math.abs(fit.alpha - 0.3) < 0.1, `alpha ${fit.alpha}`);
    assert.ok(Math.abs(fit.gamma - 0.2) < 0.1, `gamma ${fit.gamma}`);
    assert.ok(fit.beta > 0 && fit.beta < 0.12, `beta ${fit.beta}`);
    assert.ok(Number.isFinite(fit.sse) && Number.isFinite(fit.aic));
  });

  it('picks no trend on a trendless noisy seasonal series and beats seasonal naive', () => {
    const noise = gaussianNoise(5);
    const series = Float64Array.from({ length: 2400 }, (_, t) => 20 + 5 * Math.sin((2 * Math.PI * t) / 24) + noise());
    const trainEnd = 1920;
    const horizon = 24;
    const fit = fitEts(series, trainEnd, 24);
    assert.ok(fit.trend === 'none' || (fit.trend === 'damped' && fit.beta < 0.01), `trend ${fit.trend}, beta ${fit.beta}`);
    const result = rollingOriginEvaluate({
      series,
      testStart: trainEnd,
      horizon,
      forecasters: { ...baselineForecasters(series, horizon, 24), ets: etsForecaster(series, fit, horizon) },
    });
    const { ets, seasonalNaive } = result.scores;
    assert.ok(ets.mae < 0.85 * seasonalNaive.mae, `ETS MAE ${ets.mae}, seasonal naive ${seasonalNaive.mae}`);
  });

  it('falls back to a non-seasonal model when the training part holds fewer than two seasons', () => {
    const series = Float64Array.from({ length: 30 }, (_, t) => Math.sin(t));
    assert.equal(fitEts(series, 30, 16).season, null);
    assert.equal(fitEts(series, 30, 15).season, 15);
  });

  it('rejects a bad trainEnd or season', () => {
    assert.throws(() => fitEts([1, 2, 3], 4, null), RangeError);
    assert.throws(() => fitEts([1, 2, 3], 3, 1.5), RangeError);
  });
});

describe('etsForecaster', () => {
  it('forecasts from origin t using only series[0..t]', () => {
    const series = simulateHoltWinters(600, 12, 0.3, 0.05, 0.2, 3);
    const fit = fitEts(series, 480, 12);
    const origin = 500;
    const changed = series.map((value, t) => (t > origin ? value + 100 * Math.cos(t) : value));
    const forecast = etsForecaster(series, fit, 12);
    const changedForecast = etsForecaster(changed, fit, 12);
    assert.deepEqual(changedForecast(origin), forecast(origin));
    assert.notDeepEqual(changedForecast(origin + 1), forecast(origin + 1));
  });

  it('forecasts a constant series as that constant', () => {
    const series = new Float64Array(200).fill(7.5);
    for (const season of [12, null]) {
      const fit = fitEts(series, 150, season);
      assert.ok(Number.isFinite(fit.aic), `aic ${fit.aic}`);
      const forecast = etsForecaster(series, fit, 30);
      for (const origin of [0, 149, 199]) {
        forecast(origin).forEach((value) => assert.ok(Math.abs(value - 7.5) < 1e-9, `season ${season}, origin ${origin}: ${value}`));
      }
    }
  });

  it('forecasts a linear trend almost exactly without a season', () => {
    const line = (t: number) => 3 + 0.5 * t;
    const series = Float64Array.from({ length: 500 }, (_, t) => line(t));
    const fit = fitEts(series, 400, null);
    assert.equal(fit.trend, 'additive');
    const forecast = etsForecaster(series, fit, 20)(450);
    forecast.forEach((value, step) => assert.ok(Math.abs(value - line(451 + step)) < 1e-6, `step ${step + 1}: ${value} vs ${line(451 + step)}`));
  });

  it('rejects an origin outside the series and a bad horizon', () => {
    const series = Float64Array.from({ length: 50 }, (_, t) => t % 5);
    const fit = fitEts(series, 40, 5);
    assert.throws(() => etsForecaster(series, fit, 0), RangeError);
    assert.throws(() => etsForecaster(series.subarray(0, 9), fit, 3), RangeError);
    const forecast = etsForecaster(series, fit, 3);
    assert.throws(() => forecast(50), RangeError);
    assert.throws(() => forecast(-1), RangeError);
  });
});
