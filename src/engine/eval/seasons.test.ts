// Unit tests for season detection: plausible periods from the time step, the peak test, labels and the no-time-axis rule.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectSeasons, seasonLabel } from './seasons';
import { Rng } from '../rng';

const HOURLY = { ms: 3_600_000 };
const DAILY = { ms: 86_400_000 };
const MONTHLY = { months: 1 };

/** Deterministic standard normal noise. */
function gaussianNoise(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.gaussian();
}

function makeSeries(length: number, value: (t: number) => number): Float64Array {
  return Float64Array.from({ length }, (_, t) => value(t));
}

/** AR(2) noise with complex roots (modulus 0.9, argument 2π/5): red noise whose ACF has a bump near lag 5. */
function quasiCycle(length: number, seed: number): Float64Array {
  const noise = gaussianNoise(seed);
  const values = new Float64Array(length);
  for (let t = 0; t < length; t++) {
    values[t] = 1.8 * Math.cos((2 * Math.PI) / 5) * (values[t - 1] ?? 0) - 0.81 * (values[t - 2] ?? 0) + noise();
  }
  return values;
}

const periods = (estimate: ReturnType<typeof detectSeasons>) => estimate.seasons.map((season) => season.period);

describe('detectSeasons with a time step', () => {
  it('finds daily and weekly cycles in hourly data, the stronger (weekly) one primary', () => {
    const noise = gaussianNoise(1);
    const hourly = makeSeries(24 * 7 * 12, (t) => 10 + 2 * Math.sin((2 * Math.PI * t) / 24) + (Math.floor(t / 24) % 7 >= 5 ? -4 : 0) + noise());
    const result = detectSeasons(hourly, HOURLY);
    assert.deepEqual(periods(result), [168, 24]);
    assert.equal(result.primary?.period, 168);
    assert.equal(result.primary?.label, '7 days');
    assert.equal(result.seasons[1].label, '24 hours');
    assert.ok(result.seasons[0].acf > result.seasons[1].acf);
  });

  it('does not count a pure daily cycle as weekly too', () => {
    const noise = gaussianNoise(8);
    const hourly = makeSeries(24 * 7 * 12, (t) => 3 * Math.sin((2 * Math.PI * t) / 24) + noise());
    assert.deepEqual(periods(detectSeasons(hourly, HOURLY)), [24]);
  });

  it('finds a daily cycle riding on strong persistence, whose ACF has no peak at 24', () => {
    const noise = gaussianNoise(2);
    let level = 0;
    const hourly = makeSeries(24 * 365, (t) => {
      level = 0.97 * level + noise();
      return 3 * level + 3 * Math.cos((2 * Math.PI * t) / 24);
    });
    assert.equal(detectSeasons(hourly, null).primary, null);
    const result = detectSeasons(hourly, HOURLY);
    assert.deepEqual(periods(result), [24]);
  });

  it('finds the yearly cycle of daily data under red noise with a short ACF bump, never 5 or 7', () => {
    const noise = gaussianNoise(3);
    const red = quasiCycle(3650, 4);
    const daily = makeSeries(3650, (t) => 12 + 4 * Math.sin((2 * Math.PI * t) / 365.25) + 1.5 * red[t] + noise());
    assert.equal(detectSeasons(daily, null).primary?.period, 5, 'the bump fools the no-time-axis rule');
    const result = detectSeasons(daily, DAILY);
    assert.deepEqual(periods(result), [365]);
    assert.equal(result.primary?.label, '1 year');
  });

  it('rejects the weekly lag of daily red noise under a yearly cycle (ACF high but decaying)', () => {
    const noise = gaussianNoise(5);
    let level = 0;
    const daily = makeSeries(3650, (t) => {
      level = 0.8 * level + noise();
      return 4 * Math.sin((2 * Math.PI * t) / 365.25) + 2 * level;
    });
    assert.deepEqual(periods(detectSeasons(daily, DAILY)), [365]);
  });

  it('finds 12 on monthly data and 4 on quarterly data, labelled a year', () => {
    const noise = gaussianNoise(6);
    const monthly = makeSeries(120, (t) => 100 + 0.5 * t + 15 * Math.sin((2 * Math.PI * t) / 12) + 8 * Math.cos((4 * Math.PI * t) / 12) + 3 * noise());
    const result = detectSeasons(monthly, MONTHLY);
    assert.deepEqual(periods(result), [12]);
    assert.equal(result.primary?.label, '1 year');
    const quarterly = makeSeries(60, (t) => [10, 14, 9, 5][t % 4] + noise());
    assert.deepEqual(periods(detectSeasons(quarterly, { months: 3 })), [4]);
  });

  it('finds nothing in white noise, nor with a yearly step, nor with fewer than two periods', () => {
    const noise = gaussianNoise(7);
    const white = makeSeries(24 * 7 * 12, () => noise());
    assert.deepEqual(detectSeasons(white, HOURLY), { seasons: [], primary: null });
    const cycle = makeSeries(60, (t) => Math.sin((2 * Math.PI * t) / 4));
    assert.equal(detectSeasons(cycle, { months: 12 }).primary, null);
    const monthsOfCycle = makeSeries(23, (t) => Math.sin((2 * Math.PI * t) / 12));
    assert.equal(detectSeasons(monthsOfCycle, MONTHLY).primary, null);
  });

  it('tries only whole numbers of steps: 48 and 336 for 30 minutes, not a day for 7 minutes', () => {
    const halfHourly = makeSeries(48 * 7 * 6, (t) => Math.sin((2 * Math.PI * t) / 48) + (Math.floor(t / 48) % 7 >= 5 ? -2 : 0));
    assert.deepEqual(
      periods(detectSeasons(halfHourly, { ms: 1_800_000 })).sort((a, b) => a - b),
      [48, 336],
    );
    const sevenMinutes = makeSeries(4000, (t) => Math.sin((2 * Math.PI * t) / 205));
    assert.deepEqual(periods(detectSeasons(sevenMinutes, { ms: 420_000 })), []);
  });
});

describe('seasonLabel', () => {
  it("names the period in the step's units, and a year as such", () => {
    assert.equal(seasonLabel(24, HOURLY), '24 hours');
    assert.equal(seasonLabel(168, HOURLY), '7 days');
    assert.equal(seasonLabel(48, { ms: 1_800_000 }), '24 hours');
    assert.equal(seasonLabel(7, DAILY), '7 days');
    assert.equal(seasonLabel(14, DAILY), '2 weeks');
    assert.equal(seasonLabel(365, DAILY), '1 year');
    assert.equal(seasonLabel(52, { ms: 7 * 86_400_000 }), '1 year');
    assert.equal(seasonLabel(12, MONTHLY), '1 year');
    assert.equal(seasonLabel(6, MONTHLY), '6 months');
    assert.equal(seasonLabel(4, { months: 3 }), '1 year');
    assert.equal(seasonLabel(24, null), '24 steps');
  });
});

describe('detectSeasons without a time axis (ACF-peak rule)', () => {
  it('finds 24 on hourly data with a daily cycle (and a weaker weekly one)', () => {
    const noise = gaussianNoise(1);
    const hourly = makeSeries(24 * 7 * 12, (t) => 10 + 0.002 * t + 3 * Math.sin((2 * Math.PI * t) / 24) + (Math.floor(t / 24) % 7 >= 5 ? -1 : 0) + noise());
    const result = detectSeasons(hourly, null);
    assert.deepEqual(periods(result), [24]);
    assert.equal(result.primary?.label, '24 steps');
  });

  it('finds 12 on monthly data', () => {
    const noise = gaussianNoise(2);
    const monthly = makeSeries(120, (t) => 100 + 0.5 * t + 15 * Math.sin((2 * Math.PI * t) / 12) + 8 * Math.cos((4 * Math.PI * t) / 12) + 3 * noise());
    assert.equal(detectSeasons(monthly, null).primary?.period, 12);
  });

  it('finds 7 on daily data with a weekly cycle', () => {
    const noise = gaussianNoise(3);
    const weekdayLevels = [5, 6, 6, 6, 7, 2, 1];
    const daily = makeSeries(730, (t) => weekdayLevels[t % 7] + noise());
    assert.equal(detectSeasons(daily, null).primary?.period, 7);
  });

  it('returns no season on white noise', () => {
    const noise = gaussianNoise(4);
    assert.deepEqual(
      detectSeasons(
        makeSeries(2000, () => noise()),
        null,
      ),
      { seasons: [], primary: null },
    );
  });
});
