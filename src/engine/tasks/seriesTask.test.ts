// Tests of the series task: the residual parametrisation, calendar covariates and what the run records about them.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { seriesCsv, tempDir } from '../../testHelpers';
import { initBackend } from '../backend';
import { baselinesOf, forecastOrigins } from '../data/seriesInputs';
import { SequenceModel } from '../model';
import { Rng } from '../rng';
import { train } from '../train';
import { SeriesTask } from './seriesTask';
import { resolveTrainArgs, type TrainArgs } from '../../shared/options';

const runsDir = tempDir('seqlab-series-task-');
before(() => initBackend('wasm'));

/** A daily CSV (date,value) from Monday 2020-01-06 whose values come from `value(t, dayOfWeek)`. */
function dailyCsv(rows: number, value: (t: number, dayOfWeek: number) => number): string {
  return seriesCsv(rows, (t, time) => value(t, time.getUTCDay()), { time: 'date', start: Date.UTC(2020, 0, 6), digits: 5 });
}

function task(csv: string, args: Partial<TrainArgs>): SeriesTask {
  return new SeriesTask(csv, resolveTrainArgs({ task: 'series', hidden: 8, ...args }));
}

describe('the residual parametrisation', () => {
  const rng = new Rng(3);
  const csv = dailyCsv(400, (t) => 20 + 5 * Math.sin((2 * Math.PI * t) / 7) + rng.next());

  for (const residual of ['naive', 'seasonal', 'ets'] as const) {
    it(`an untrained model forecasts exactly the ${residual} baseline`, async () => {
      const t = task(csv, { residual, horizon: 5, lookback: 14, season: 7 });
      assert.equal(t.dataInfo.residual, residual);
      const model = SequenceModel.create(t.spec, 1);
      const origins = [300, 320, 350];
      const forecasts = await forecastOrigins(model, t.windows, origins);
      const info = t.dataInfo;
      const target = Float64Array.from(csv.split('\n').slice(1), (line) => Number(line.split(',')[1]));
      const base = baselinesOf(target, 5, 7, info.ets)[residual] as (origin: number) => ArrayLike<number>;
      for (const origin of origins) {
        const expected = Array.from(base(origin));
        const got = Array.from(forecasts.get(origin) as Float64Array);
        got.forEach((value, h) => assert.ok(Math.abs(value - expected[h]) < 1e-4, `${residual} origin ${origin} step ${h}: ${value} vs ${expected[h]}`));
      }
      model.dispose();
    });
  }

  it('auto picks the baseline with the lowest validation error and says so', () => {
    const t = task(csv, { horizon: 5, lookback: 14, season: 7 });
    assert.notEqual(t.dataInfo.residual, 'naive', 'a strong weekly cycle: naive is the worst base');
    assert.ok(
      t.notes.some((n) => /corrects the .* forecast, the best baseline on validation/.test(n)),
      t.notes.join('\n'),
    );
  });

  it('a seasonal base without a season is a clear error', () => {
    const flat = dailyCsv(200, () => rng.next());
    assert.throws(
      () => task(flat, { residual: 'seasonal', horizon: 3, lookback: 7 }),
      /--residual seasonal needs the seasonal naive baseline, but no season was found or given \(set --season N\)/,
    );
  });
});

describe('calendar features', () => {
  it('are chosen by the time step and recorded', () => {
    const t = task(
      dailyCsv(300, (i) => i % 3),
      { horizon: 4, lookback: 8, guides: 'off' },
    );
    assert.deepEqual(t.dataInfo.calendar, ['dayOfWeek', 'dayOfYear']);
    assert.equal(t.spec.inputSize, 1 + 4 + 1, 'the value, two sin/cos pairs and the change since the origin');
    assert.equal(t.spec.futureSize, 4 * 4);
    assert.deepEqual(
      task(
        dailyCsv(300, (i) => i % 3),
        { horizon: 4, lookback: 8, calendar: 'off' },
      ).dataInfo.calendar,
      [],
    );
  });

  // A weekday effect with no autocorrelation: seasonal naive pays twice the noise; a model told the weekday of each
  // forecast step can forecast the effect itself. With a lookback too short to see the week, a model without the
  // features cannot know the weekday and forecasts about the mean.
  const effect = [0, 6, -4, 3, -6, 5, -2];
  const noise = new Rng(5);
  const csv = dailyCsv(1400, (_, day) => 50 + effect[day] + 0.8 * (noise.next() - 0.5) * Math.sqrt(12));
  const file = path.join(runsDir, 'weekday.csv');
  fs.writeFileSync(file, csv);
  const fit = async (calendar: 'auto' | 'off') => {
    const args: Partial<TrainArgs> = {
      calendar,
      residual: 'none',
      guides: 'off',
      season: 7,
      lookback: 3,
      horizon: 7,
      hidden: 16,
      epochs: 6,
      lr: 0.01,
      backend: 'wasm',
    };
    const { record } = await train({ file, runsDir, args });
    assert.equal(record.status, 'completed', record.message);
    assert.ok(record.summary?.task === 'series' && record.summary.baselines.seasonalNaive);
    return { model: record.summary.metrics.mae, seasonal: record.summary.baselines.seasonalNaive.mae };
  };

  it('let the model beat seasonal naive on a weekday effect, which it cannot without them', async () => {
    const withCalendar = await fit('auto');
    const without = await fit('off');
    assert.ok(withCalendar.model < withCalendar.seasonal, `with calendar: model ${withCalendar.model} vs seasonal naive ${withCalendar.seasonal}`);
    assert.ok(without.model > without.seasonal, `without calendar: model ${without.model} vs seasonal naive ${without.seasonal}`);
  });
});
