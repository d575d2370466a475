// Forecast evaluation in original units: error metrics, naive baselines and rolling-origin backtests.
import { levelKey, scoreIntervals, type IntervalScores } from './intervals';

/** A forecaster for rolling-origin evaluation: given the last observed index t, returns forecasts for t+1..t+horizon. */
export type OriginForecaster = (origin: number) => ArrayLike<number>;

/** Error metrics of one forecaster. NaN means undefined (e.g. MASE with a zero scale) and serializes to null in JSON. */
export interface ForecastScores {
  mae: number;
  rmse: number;
  /** Symmetric MAPE in percent (0-200). */
  smape: number;
  mase: number;
  /** MAE at each horizon step h = 1…H (index h − 1) over the origins; NaN for a step with no finite actual. */
  maeByStep: number[];
  /** Conformal interval scores keyed by level in percent ("80", "95"), for forecasters given `halfWidths`. */
  intervals?: Record<string, IntervalScores>;
}

/** Options of `rollingOriginEvaluate`. */
export interface RollingOriginOptions {
  series: ArrayLike<number>;
  /** First index of the test segment; the first origin is testStart - 1. */
  testStart: number;
  /** End (exclusive) of the training part, whose one-step naive MAE scales MASE. Default: testStart. */
  trainEnd?: number;
  horizon: number;
  /** Maximum number of origins; when more are available they are strided evenly, always keeping the last one. */
  origins?: number;
  forecasters: Record<string, OriginForecaster>;
  /** How many of the last origins to return forecasts for (for plotting backtests). Default 0. */
  keepLastForecasts?: number;
  /** Interval half-widths per forecaster name: widths[levelIndex][h] for levels as fractions (from `conformalHalfWidths`). */
  halfWidths?: Record<string, { levels: number[]; widths: number[][] }>;
}

/** Forecasts of every forecaster from one origin. */
export interface OriginForecasts {
  origin: number;
  forecasts: Record<string, Float64Array>;
}

/** Result of `rollingOriginEvaluate`. */
export interface RollingOriginResult {
  /** Origins used, ascending. */
  origins: number[];
  /** Number of (origin, step) pairs with a finite actual value, shared by all forecasters. */
  pairs: number;
  scores: Record<string, ForecastScores>;
  /** Forecasts from the last `keepLastForecasts` origins, ascending. */
  lastForecasts: OriginForecasts[];
}

/** Mean absolute error. NaN for empty input. */
export function mae(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  return meanOverPairs(actual, forecast, (a, f) => Math.abs(f - a));
}

/** Root mean squared error. NaN for empty input. */
export function rmse(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  return Math.sqrt(meanOverPairs(actual, forecast, (a, f) => (f - a) ** 2));
}

/** Symmetric MAPE in percent: mean of 200·|F−A|/(|A|+|F|), a term being 0 when both are 0. NaN for empty input. */
export function smape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  return meanOverPairs(actual, forecast, (a, f) => (a === 0 && f === 0 ? 0 : (200 * Math.abs(f - a)) / (Math.abs(a) + Math.abs(f))));
}

/** Mean absolute scaled error: a forecast MAE divided by the in-sample naive MAE. NaN when the scale is 0 or not finite. */
export function mase(errorsMae: number, scale: number): number {
  return scale > 0 && Number.isFinite(scale) ? errorsMae / scale : NaN;
}

/** MASE scale: mean |y[t] − y[t−1]| over the training part series[0..trainEnd). NaN with fewer than 2 points. */
export function naiveMaeScale(series: ArrayLike<number>, trainEnd: number = series.length): number {
  const train = Array.from({ length: Math.min(trainEnd, series.length) }, (_, t) => series[t]);
  return mae(train.slice(1), train.slice(0, -1));
}

/** Repeats the last value of the history for every step of the horizon. */
export function naiveForecast(history: ArrayLike<number>, horizon: number): Float64Array {
  if (history.length === 0) {
    throw new RangeError('naiveForecast needs at least one observed value.');
  }
  return new Float64Array(horizon).fill(history[history.length - 1]);
}

/** Repeats the last observed season: step h (1-based) gets y[T − m + ((h−1) mod m)], T = history length, m = season. */
export function seasonalNaiveForecast(history: ArrayLike<number>, horizon: number, season: number): Float64Array {
  const length = history.length;
  if (!Number.isInteger(season) || season < 1 || length < season) {
    throw new RangeError(`seasonalNaiveForecast needs a whole season of history (season ${season}, history ${length}).`);
  }
  return Float64Array.from({ length: horizon }, (_, step) => history[length - season + (step % season)]);
}

/** Naive and (with a season) seasonal-naive forecasters over a full series, for `rollingOriginEvaluate`. */
export function baselineForecasters(series: ArrayLike<number>, horizon: number, season: number | null): Record<string, OriginForecaster> {
  const values = Float64Array.from(series);
  const history = (origin: number) => values.subarray(0, origin + 1);
  const naive: OriginForecaster = (origin) => naiveForecast(history(origin), horizon);
  return season === null ? { naive } : { naive, seasonalNaive: (origin) => seasonalNaiveForecast(history(origin), horizon, season) };
}

/**
 * Rolling-origin backtest shared by the model and the baselines: every forecaster is called at each origin t
 * (last observed index, from testStart−1 to n−horizon−1, strided evenly down to `origins` when given) and scored
 * over all (origin, step) pairs whose actual value is finite, overall and per step. MASE uses the naive MAE of
 * series[0..trainEnd). Forecasters with `halfWidths` also get coverage, width and Winkler scores of their intervals.
 * @throws RangeError when the test segment is too short for one origin, a forecaster returns too few values, or
 * `halfWidths` names an unknown forecaster or does not give one width per level and step.
 */
export function rollingOriginEvaluate(options: RollingOriginOptions): RollingOriginResult {
  const { series, testStart, horizon, forecasters } = options;
  const origins = chooseOrigins(testStart - 1, series.length - horizon - 1, options.origins);
  const keepFrom = origins.length - Math.max(0, options.keepLastForecasts ?? 0);
  const actual: number[] = [];
  const steps: number[] = [];
  const forecastsByName = new Map(Object.keys(forecasters).map((name) => [name, [] as number[]]));
  const lastForecasts: OriginForecasts[] = [];
  origins.forEach((origin, position) => {
    const forecasts = Object.fromEntries(Object.entries(forecasters).map(([name, forecaster]) => [name, forecastFrom(name, forecaster, origin, horizon)]));
    for (let step = 0; step < horizon; step++) {
      const value = series[origin + 1 + step];
      if (Number.isFinite(value)) {
        actual.push(value);
        steps.push(step);
        forecastsByName.forEach((values, name) => values.push(forecasts[name][step]));
      }
    }
    if (position >= keepFrom) {
      lastForecasts.push({ origin, forecasts });
    }
  });
  const scale = naiveMaeScale(series, options.trainEnd ?? testStart);
  const unknown = Object.keys(options.halfWidths ?? {}).find((name) => !(name in forecasters));
  if (unknown !== undefined) {
    throw new RangeError(`Interval half-widths were given for "${unknown}", which is not a forecaster.`);
  }
  const scores = Object.fromEntries(
    [...forecastsByName].map(([name, forecast]) => {
      const error = mae(actual, forecast);
      const score: ForecastScores = {
        mae: error,
        rmse: rmse(actual, forecast),
        smape: smape(actual, forecast),
        mase: mase(error, scale),
        maeByStep: maeByStep(actual, forecast, steps, horizon),
      };
      const bands = options.halfWidths?.[name];
      if (bands) {
        score.intervals = scoreBands(name, bands, actual, forecast, steps, horizon);
      }
      return [name, score];
    }),
  );
  return { origins, pairs: actual.length, scores, lastForecasts };
}

/** MAE per horizon step of pairs tagged with their 0-based step; NaN for a step without pairs. */
function maeByStep(actual: number[], forecast: number[], steps: number[], horizon: number): number[] {
  const sums = new Float64Array(horizon);
  const counts = new Float64Array(horizon);
  steps.forEach((step, i) => {
    sums[step] += Math.abs(forecast[i] - actual[i]);
    counts[step]++;
  });
  return Array.from(sums, (sum, step) => sum / counts[step]);
}

/** Interval scores of one forecaster at each of its levels, keyed by `levelKey`. */
function scoreBands(
  name: string,
  bands: { levels: number[]; widths: number[][] },
  actual: number[],
  forecast: number[],
  steps: number[],
  horizon: number,
): Record<string, IntervalScores> {
  if (bands.widths.length !== bands.levels.length || bands.widths.some((widths) => widths.length < horizon)) {
    throw new RangeError(`Interval half-widths of "${name}" must give ${horizon} steps for each of its ${bands.levels.length} levels.`);
  }
  return Object.fromEntries(
    bands.levels.map((level, index) => [
      levelKey(level),
      scoreIntervals(
        actual,
        forecast,
        steps.map((step) => bands.widths[index][step]),
        level,
      ),
    ]),
  );
}

/** Calls a forecaster and checks it returned a whole horizon. */
function forecastFrom(name: string, forecaster: OriginForecaster, origin: number, horizon: number): Float64Array {
  const forecast = Float64Array.from(forecaster(origin));
  if (forecast.length < horizon) {
    throw new RangeError(`Forecaster "${name}" returned ${forecast.length} values at origin ${origin}; expected ${horizon}.`);
  }
  return forecast.subarray(0, horizon);
}

/** Origins first..last, evenly strided down to at most `limit`, always including the last. */
export function chooseOrigins(first: number, last: number, limit?: number): number[] {
  if (first < 0 || last < first) {
    throw new RangeError(
      `No forecast origin: the test segment (from index ${first + 1}) must hold at least one full horizon and follow at least one observation.`,
    );
  }
  const count = last - first + 1;
  const kept = limit === undefined ? count : Math.max(1, Math.min(count, Math.floor(limit)));
  return kept === 1 ? [last] : Array.from({ length: kept }, (_, i) => first + Math.round((i * (count - 1)) / (kept - 1)));
}

/** Mean of a per-pair term; the arrays must have the same length. */
function meanOverPairs(actual: ArrayLike<number>, forecast: ArrayLike<number>, term: (a: number, f: number) => number): number {
  if (actual.length !== forecast.length) {
    throw new RangeError(`Actual and forecast lengths differ (${actual.length} vs ${forecast.length}).`);
  }
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    sum += term(actual[i], forecast[i]);
  }
  return sum / actual.length;
}
