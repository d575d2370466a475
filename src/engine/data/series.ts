// Series prepared for a model: chronological splits, z-score features from train statistics, and windows.
import * as tf from '@tensorflow/tfjs-core';
import type { LoadedSeries } from './csv/loadSeriesCsv';
import { UsageError } from '../../shared/options';
import type { TimeStep } from '../../shared/runFolder';

/** Where the splits fall, in rows: train [0, trainEnd), validation [trainEnd, testStart), test [testStart, rows). */
export interface SeriesSplits {
  trainEnd: number;
  testStart: number;
}

/**
 * Splits a series chronologically. Validation and test each hold at least one horizon, and training at least one
 * window; a series too short for that gets a message with the numbers and what to change.
 */
export function splitSeries(rows: number, lookback: number, horizon: number, val: number, test: number): SeriesSplits {
  const splits = heldOutSplits(rows, horizon, val, test);
  if (rows < 2) throw new UsageError(`The series has ${rows} usable row${rows === 1 ? '' : 's'}: forecasting needs many more.`);
  if (splits.trainEnd < lookback + horizon) {
    const needed = lookback + 3 * horizon;
    throw new UsageError(
      `The series has ${rows} usable rows, too few for --lookback ${lookback} and --horizon ${horizon}: training needs ${lookback + horizon} rows plus ${horizon} each for validation and test (at least ${needed}). Lower --lookback or --horizon, or add rows.`,
    );
  }
  return splits;
}

/** Where {@link splitSeries} puts the splits, unchecked: validation and test each hold `val` and `test` of the rows, and at least one horizon. */
export function heldOutSplits(rows: number, horizon: number, val: number, test: number): SeriesSplits {
  const testRows = Math.max(horizon, Math.round(rows * test));
  const valRows = Math.max(horizon, Math.round(rows * val));
  return { trainEnd: rows - testRows - valRows, testStart: rows - testRows };
}

/** The mean and standard deviation of each feature over rows [0, end). A constant feature gets std 1. */
export function featureStatistics(features: Float64Array[], end: number): { mean: number[]; std: number[] } {
  const mean: number[] = [];
  const std: number[] = [];
  for (const column of features) {
    let sum = 0;
    for (let i = 0; i < end; i++) sum += column[i];
    const m = sum / end;
    let squares = 0;
    for (let i = 0; i < end; i++) squares += (column[i] - m) ** 2;
    const s = Math.sqrt(squares / end);
    mean.push(m);
    std.push(s > 1e-12 * Math.max(1, Math.abs(m)) ? s : 1);
  }
  return { mean, std };
}

/** What a model sees besides the z-scored columns. */
export interface WindowExtras {
  /** Calendar features of every row and of the `horizon` rows after the data, row-major [rows + horizon, width]. */
  calendar?: { values: Float32Array; width: number };
  /** The baseline forecast (original units, `horizon` values) from an origin, that a residual model's head corrects. */
  base?: (origin: number) => ArrayLike<number>;
  /** Baseline forecasts (original units, `horizon` values each) given to the head as known future covariates. */
  guides?: ((origin: number) => ArrayLike<number>)[];
  /** Adds a last input channel: the normalised target minus its value at the window's origin (per-window level normalisation). */
  levelChannel?: boolean;
}

/** The arrays of a batch of windows; see {@link SeriesWindows.windowArrays}. */
export interface WindowArrays {
  /** Inputs [n, lookback, features + calendar width (+ 1 with the level channel)]. */
  x: Float32Array;
  /** Known future covariates [n, futureSize]: the calendar of each forecast step, then each guide's normalised forecast; absent without either. */
  future?: Float32Array;
  /** The baseline forecast, normalised [n, horizon] (zeros without a residual base). */
  base: Float32Array;
  /** What the model learns to output: the normalised next `horizon` targets, minus the base [n, horizon]. */
  y?: Float32Array;
}

/** Normalised features (target first) in one row-major Float32Array, with windowing for the model. */
export class SeriesWindows {
  /** rows × features, z-scored. */
  readonly values: Float32Array;
  readonly rows: number;
  readonly features: number;
  /** Calendar features per row, 0 without them. */
  readonly calendarWidth: number;

  constructor(
    columns: Float64Array[],
    readonly mean: number[],
    readonly std: number[],
    readonly lookback: number,
    readonly horizon: number,
    private readonly extras: WindowExtras = {},
  ) {
    this.rows = columns[0].length;
    this.features = columns.length;
    this.calendarWidth = extras.calendar?.width ?? 0;
    if (extras.calendar && extras.calendar.values.length !== (this.rows + horizon) * this.calendarWidth) {
      throw new RangeError(`calendar features cover ${extras.calendar.values.length / this.calendarWidth} rows, expected ${this.rows + horizon}`);
    }
    this.values = new Float32Array(this.rows * this.features);
    columns.forEach((column, f) => {
      for (let r = 0; r < this.rows; r++) this.values[r * this.features + f] = (column[r] - mean[f]) / std[f];
    });
  }

  /** The features of a loaded series, target first. */
  static columnsOf(series: LoadedSeries): Float64Array[] {
    return [series.target, ...series.inputs];
  }

  /** Values per time step that the model reads: the features and the calendar features. */
  get inputSize(): number {
    return this.features + this.calendarWidth + (this.extras.levelChannel ? 1 : 0);
  }

  /** Known future covariates per window: horizon × (calendar width + guides). */
  get futureSize(): number {
    return this.horizon * (this.calendarWidth + (this.extras.guides?.length ?? 0));
  }

  /** {@link windowArrays} as tensors (the caller disposes them, or runs inside tf.tidy). */
  windows(origins: ArrayLike<number>, withTargets: boolean): { x: tf.Tensor3D; future?: tf.Tensor2D; base: Float32Array; y?: tf.Tensor2D } {
    const { x, future, base, y } = this.windowArrays(origins, withTargets);
    const n = origins.length;
    return {
      x: tf.tensor3d(x, [n, this.lookback, this.inputSize]),
      future: future && tf.tensor2d(future, [n, this.futureSize]),
      base,
      y: y && tf.tensor2d(y, [n, this.horizon]),
    };
  }

  /**
   * The windows whose last observed row is each origin: inputs over rows origin−lookback+1 … origin (with the level
   * channel, the target's change since the origin last), the calendar of
   * rows origin+1 … origin+horizon and the guides' normalised forecasts, the normalised base forecast and, when
   * `withTargets`, the next `horizon` normalised targets minus the base.
   */
  windowArrays(origins: ArrayLike<number>, withTargets: boolean): WindowArrays {
    const { lookback, horizon, features, values, calendarWidth: width, futureSize } = this;
    const calendar = this.extras.calendar?.values;
    const guides = this.extras.guides ?? [];
    const n = origins.length;
    const step = this.inputSize;
    const x = new Float32Array(n * lookback * step);
    const future = futureSize > 0 ? new Float32Array(n * futureSize) : undefined;
    const base = new Float32Array(n * horizon);
    const y = withTargets ? new Float32Array(n * horizon) : undefined;
    for (let i = 0; i < n; i++) {
      const origin = origins[i];
      const first = origin - lookback + 1;
      if (!calendar && step === features) x.set(values.subarray(first * features, (origin + 1) * features), i * lookback * step);
      else {
        for (let t = 0; t < lookback; t++) {
          const row = first + t;
          x.set(values.subarray(row * features, (row + 1) * features), (i * lookback + t) * step);
          if (calendar) x.set(calendar.subarray(row * width, (row + 1) * width), (i * lookback + t) * step + features);
        }
        if (calendar) future?.set(calendar.subarray((origin + 1) * width, (origin + 1 + horizon) * width), i * futureSize);
      }
      guides.forEach((guide, g) => {
        const forecast = guide(origin);
        const offset = i * futureSize + horizon * (width + g);
        for (let h = 0; h < horizon; h++) (future as Float32Array)[offset + h] = (forecast[h] - this.mean[0]) / this.std[0];
      });
      if (this.extras.levelChannel) {
        const last = values[origin * features];
        for (let t = 0; t < lookback; t++) x[(i * lookback + t) * step + step - 1] = values[(first + t) * features] - last;
      }
      const baseline = this.extras.base?.(origin);
      for (let h = 0; h < horizon; h++) {
        const b = baseline ? (baseline[h] - this.mean[0]) / this.std[0] : 0;
        base[i * horizon + h] = b;
        if (y) y[i * horizon + h] = values[(origin + 1 + h) * features] - b;
      }
    }
    return { x, future, base, y };
  }

  /** Converts normalised target values back to original units. */
  denormalize(value: number): number {
    return value * this.std[0] + this.mean[0];
  }
}

/** Recent steps looked at to infer the spacing of a time axis. */
const TIME_STEP_SAMPLE = 10_000;

/**
 * The regular spacing of a time axis: whole calendar months when every recent step moves the month by the same
 * count on the same day (monthly, quarterly, yearly data), else the median step in ms; null without a usable axis.
 */
export function inferTimeStep(time: Float64Array | null): TimeStep | null {
  if (!time || time.length < 2) return null;
  const recent = time.subarray(Math.max(0, time.length - TIME_STEP_SAMPLE));
  const monthIndex = (t: number) => new Date(t).getUTCFullYear() * 12 + new Date(t).getUTCMonth();
  const months = monthIndex(recent[1]) - monthIndex(recent[0]);
  const calendar =
    months > 0 &&
    recent.every(
      (t, i) =>
        i === 0 ||
        (monthIndex(t) - monthIndex(recent[i - 1]) === months &&
          new Date(t).getUTCDate() === new Date(recent[0]).getUTCDate() &&
          t % 86_400_000 === recent[0] % 86_400_000),
    );
  if (calendar) return { months };
  const steps = Array.from(recent.subarray(1), (t, i) => t - recent[i]).sort((a, b) => a - b);
  const median = steps[Math.floor(steps.length / 2)];
  return median > 0 ? { ms: median } : null;
}

/** The next `count` times after `last`, one step apart. */
export function continueTime(last: number, step: TimeStep, count: number): number[] {
  return Array.from({ length: count }, (_, i) => {
    if ('ms' in step) return last + (i + 1) * step.ms;
    const date = new Date(last);
    date.setUTCMonth(date.getUTCMonth() + (i + 1) * step.months);
    return date.getTime();
  });
}
