// What a series model reads and what its forecasts mean: windows with calendar covariates, and the baseline a residual model corrects.
import * as tf from '@tensorflow/tfjs-core';
import { calendarFeatures, type CalendarCycle } from './calendar';
import type { LoadedSeries } from './csv/loadSeriesCsv';
import { continueTime, SeriesWindows } from './series';
import { etsForecaster } from '../eval/ets';
import { naiveForecast, seasonalNaiveForecast, type OriginForecaster } from '../eval/seriesMetrics';
import type { SequenceModel } from '../model';
import type { EtsParameters, SeriesDataInfo } from '../../shared/runFolder';

/** Windows per forward pass when predicting many origins. */
const PREDICT_BATCH = 128;

/** The baselines, in original units, that can be shown beside the model and that a residual model can correct. */
export interface Baselines {
  naive: OriginForecaster;
  seasonal: OriginForecaster | null;
  ets: OriginForecaster | null;
}

/** The naive, seasonal-naive (with a season) and ETS (with fitted parameters) forecasters over a series. */
export function baselinesOf(target: Float64Array, horizon: number, season: number | null, ets: EtsParameters | null | undefined): Baselines {
  const history = (origin: number) => target.subarray(0, origin + 1);
  return {
    naive: (origin) => naiveForecast(history(origin), horizon),
    seasonal: season === null ? null : (origin) => seasonalNaiveForecast(history(origin), horizon, season),
    ets: ets ? etsForecaster(target, ets, horizon) : null,
  };
}

/** The baseline a run's model reads (its residual base or a guide), or undefined for none. */
export function runBaseline(kind: SeriesDataInfo['residual'], baselines: Baselines): OriginForecaster | undefined {
  if (kind === undefined || kind === 'none') return undefined;
  const forecaster = baselines[kind];
  if (!forecaster) throw new Error(`the run's model reads the ${kind} baseline, which is not available for this data`);
  return forecaster;
}

/** Calendar features of every row of a time axis and of the `horizon` steps after it, row-major [rows + horizon, 2 × cycles]. */
export function calendarRows(
  info: Pick<SeriesDataInfo, 'timeStep' | 'horizon'>,
  time: Float64Array | null,
  cycles: CalendarCycle[],
): { values: Float32Array; width: number } | undefined {
  if (cycles.length === 0 || !time || !info.timeStep || time.length === 0) return undefined;
  const extended = new Float64Array(time.length + info.horizon);
  extended.set(time);
  extended.set(continueTime(time[time.length - 1], info.timeStep, info.horizon), time.length);
  return { values: calendarFeatures(extended, cycles), width: 2 * cycles.length };
}

/** The model's windows over a loaded series, with a trained (or being trained) run's normalisation, calendar and residual base. */
export function seriesWindowsFor(series: LoadedSeries, info: SeriesDataInfo): SeriesWindows {
  const columns = SeriesWindows.columnsOf(series);
  const baselines = baselinesOf(series.target, info.horizon, info.season, info.ets);
  return new SeriesWindows(columns, info.mean, info.std, info.lookback, info.horizon, {
    calendar: calendarRows(info, series.time, (info.calendar ?? []) as CalendarCycle[]),
    base: runBaseline(info.residual, baselines),
    guides: (info.guides ?? []).map((kind) => runBaseline(kind, baselines) as OriginForecaster),
    levelChannel: info.windowNorm === 'last',
  });
}

/** The model's forecasts in original units from each origin (base added back), computed in batches. */
export async function forecastOrigins(model: SequenceModel, windows: SeriesWindows, origins: number[]): Promise<Map<number, Float64Array>> {
  const result = new Map<number, Float64Array>();
  const { horizon } = windows;
  for (let i = 0; i < origins.length; i += PREDICT_BATCH) {
    const chunk = origins.slice(i, i + PREDICT_BATCH);
    const { x, future, base } = windows.windowArrays(chunk, false);
    const predicted = tf.tidy(() => {
      const covariates = future && tf.tensor2d(future, [chunk.length, windows.futureSize]);
      return model.forecast(tf.tensor3d(x, [chunk.length, windows.lookback, windows.inputSize]), covariates);
    });
    const values = await predicted.data();
    predicted.dispose();
    chunk.forEach((origin, row) => {
      const forecast = new Float64Array(horizon);
      for (let h = 0; h < horizon; h++) forecast[h] = windows.denormalize(values[row * horizon + h] + base[row * horizon + h]);
      result.set(origin, forecast);
    });
  }
  return result;
}
