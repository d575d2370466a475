// Forecasting on a CSV series: windows, validation, rolling-origin test metrics with conformal intervals beside the baselines, and the chart data.
import * as tf from '@tensorflow/tfjs-core';
import { MIN_STEPS_PER_EPOCH, SERIES_VALIDATION_STEPS } from '../config';
import { calendarCycles } from '../data/calendar';
import { loadSeriesCsv, type LoadedSeries } from '../data/csv/loadSeriesCsv';
import { continueTime, featureStatistics, heldOutSplits, inferTimeStep, splitSeries, type SeriesSplits, type SeriesWindows } from '../data/series';
import { baselinesOf, forecastOrigins, seriesWindowsFor, type Baselines } from '../data/seriesInputs';
import { fitEts } from '../eval/ets';
import { conformalHalfWidths, levelKey, residualsByStep } from '../eval/intervals';
import { detectSeasons, seasonLabel } from '../eval/seasons';
import { chooseOrigins, rollingOriginEvaluate, type ForecastScores, type OriginForecaster } from '../eval/seriesMetrics';
import { forecastLoss } from '../losses';
import type { SequenceModel } from '../model';
import type { Rng } from '../rng';
import type { TrainingTask } from './task';
import { MAX_AUTO_LOOKBACK, MIN_AUTO_LOOKBACK, SERIES_LR, UsageError, type TrainArgs } from '../../shared/options';
import type { ModelSpec, EtsParameters, ForecastBand, ForecastChart, RunSummary, SeriesDataInfo, SeriesMetrics } from '../../shared/runFolder';
import type { LossSpec, TrainBatch } from '../../shared/protocol';

/** Windows per forward pass of the validation loss. */
const VALIDATION_BATCH = 128;
/** The most points of history drawn in the dashboard's forecast chart. */
const CHART_POINTS = 2000;
/** Names of the forecasters in evaluation results and in the chart, by baseline. */
const BASELINE_NAMES: Record<keyof Baselines, string> = { naive: 'naive', seasonal: 'seasonalNaive', ets: 'ets' };
/** The same, in words, for notes. */
const BASELINE_WORDS: Record<keyof Baselines, string> = { naive: 'naive', seasonal: 'seasonal naive', ets: 'ETS' };

/** A CSV series ready for training. */
export class SeriesTask implements TrainingTask {
  readonly kind = 'series';
  readonly throughputUnit = 'windows/s';
  readonly lossSpec: LossSpec;
  readonly spec: ModelSpec;
  readonly dataInfo: SeriesDataInfo;
  readonly notes: string[];
  readonly stepsPerEpoch: number;
  readonly defaultLr = SERIES_LR;
  readonly itemsPerStep: number;
  private readonly series: LoadedSeries;
  private readonly splits: SeriesSplits;
  private readonly baselines: Baselines;
  readonly windows: SeriesWindows;
  /** The latest calibration and the model it was computed for: the end of a run evaluates, then draws the chart, with one model. */
  private calibrated?: { model: SequenceModel; halfWidths: Record<string, { levels: number[]; widths: number[][] }> };

  /** `trained` carries a trained run's normalisation, season, encoding and baselines, to evaluate or resume on the same scale. */
  constructor(
    text: string,
    private readonly args: TrainArgs,
    trained?: SeriesDataInfo,
  ) {
    this.series = loadSeriesCsv(text, { column: args.column, inputs: args.inputs, missing: args.missing, categorical: trained?.categorical });
    this.notes = [...this.series.report.warnings];
    const { horizon } = args;
    const { target, time } = this.series;
    const rows = target.length;
    const timeStep = trained ? trained.timeStep : inferTimeStep(time);
    const seasons = trained ? trainedSeasons(trained) : this.chooseSeasons(heldOutSplits(rows, horizon, args.val, args.test).trainEnd, timeStep);
    const lookback = trained?.lookback ?? this.chooseLookback(seasons.season, heldOutSplits(rows, horizon, args.val, args.test).trainEnd, timeStep);
    this.splits = splitSeries(rows, lookback, horizon, args.val, args.test);
    const columns = [target, ...this.series.inputs];
    const { mean, std } = trained ?? featureStatistics(columns, this.splits.trainEnd);
    const ets = trained ? (trained.ets ?? null) : this.fitEtsBaseline(seasons.season);
    this.baselines = baselinesOf(target, horizon, seasons.season, ets);
    const calendar = trained ? (trained.calendar ?? []) : args.calendar === 'auto' && time ? calendarCycles(timeStep) : [];
    if (!trained && calendar.length > 0) this.notes.push(`Calendar features for the lookback and each forecast step: ${calendar.map(cycleWords).join(', ')}.`);
    this.dataInfo = {
      kind: 'series',
      target: this.series.targetName,
      inputs: this.series.inputNames,
      timeColumn: this.series.timeColumn,
      mean,
      std,
      rows,
      trainEnd: this.splits.trainEnd,
      valEnd: this.splits.testStart,
      lookback,
      horizon,
      ...seasons,
      timeStep,
      calendar,
      residual: trained ? (trained.residual ?? 'none') : this.chooseResidual(lookback, seasons.season),
      guides: trained ? (trained.guides ?? []) : this.chooseGuides(lookback, seasons.season),
      windowNorm: trained ? (trained.windowNorm ?? 'none') : args.windowNorm,
      ets,
      categorical: this.series.categorical,
    };
    this.windows = seriesWindowsFor(this.series, this.dataInfo);
    this.spec = {
      task: 'series',
      cell: args.cell,
      hidden: args.hidden,
      layers: args.layers,
      dropout: args.dropout,
      inputSize: this.windows.inputSize,
      horizon,
      ...(this.windows.futureSize > 0 ? { futureSize: this.windows.futureSize } : {}),
      ...(this.dataInfo.residual !== 'none' ? { residual: true } : {}),
    };
    this.lossSpec = { task: 'series', loss: args.loss };
    this.itemsPerStep = args.batch;
    this.stepsPerEpoch = Math.max(MIN_STEPS_PER_EPOCH, Math.ceil(this.trainOrigins / args.batch));
  }

  /** The season given, or the seasons detected on the training rows, preferring the periods that the time step makes plausible. */
  private chooseSeasons(trainEnd: number, timeStep: SeriesDataInfo['timeStep']): Pick<SeriesDataInfo, 'season' | 'seasonSource' | 'seasonLabel' | 'seasons'> {
    if (this.args.season !== 'auto') {
      return { season: this.args.season, seasonSource: 'given', seasonLabel: seasonLabel(this.args.season, timeStep), seasons: [] };
    }
    const detected = detectSeasons(this.series.target.subarray(0, Math.max(0, trainEnd)), timeStep);
    if (!detected.primary) {
      this.notes.push('No seasonality detected: the seasonal-naive baseline is skipped (set --season N to force one).');
      return { season: null, seasonSource: 'none', seasonLabel: null, seasons: [] };
    }
    const found = detected.seasons.map((s) => `${s.label} (autocorrelation ${s.acf.toFixed(2)})`).join(', ');
    this.notes.push(
      `Detected season${detected.seasons.length > 1 ? 's' : ''}: ${found}; the seasonal-naive baseline repeats the last ${detected.primary.label}.`,
    );
    return { season: detected.primary.period, seasonSource: 'detected', seasonLabel: detected.primary.label, seasons: detected.seasons };
  }

  /** The lookback asked for, or two seasons (at least MIN_AUTO_LOOKBACK, at most MAX_AUTO_LOOKBACK and half the training rows). */
  private chooseLookback(season: number | null, trainEnd: number, timeStep: SeriesDataInfo['timeStep']): number {
    if (this.args.lookback > 0) return this.args.lookback;
    const wanted = season === null ? MIN_AUTO_LOOKBACK : Math.min(MAX_AUTO_LOOKBACK, Math.max(MIN_AUTO_LOOKBACK, 2 * season));
    const lookback = Math.max(1, Math.min(wanted, Math.floor((trainEnd - this.args.horizon) / 2)));
    const why =
      season === null ? 'no season found' : `two seasons of ${seasonLabel(season, timeStep)}${2 * season > wanted ? `, capped at ${MAX_AUTO_LOOKBACK}` : ''}`;
    this.notes.push(`Lookback: ${lookback} steps (${lookback < wanted ? 'half the training rows' : why}; set --lookback N to choose).`);
    return lookback;
  }

  /** Fits the ETS baseline on the training rows; null, with a note, when it cannot be fitted. */
  private fitEtsBaseline(season: number | null): EtsParameters | null {
    try {
      const fit = fitEts(this.series.target, this.splits.trainEnd, season);
      return Number.isFinite(fit.sse) ? fit : null;
    } catch (error) {
      this.notes.push(`The ETS baseline could not be fitted (${(error as Error).message}); it is left out.`);
      return null;
    }
  }

  /** The residual base asked for, or (auto) the baseline with the lowest validation MAE, named in the notes. */
  private chooseResidual(lookback: number, season: number | null): NonNullable<SeriesDataInfo['residual']> {
    const asked = this.args.residual;
    if (asked === 'none') return 'none';
    const seasonalFits = this.seasonalFits(lookback, season);
    if (asked === 'seasonal' && season !== null && !seasonalFits) {
      throw new UsageError(
        `--residual seasonal needs a whole season (${season} rows) before each training window, which leaves too few of the ${this.splits.trainEnd} training rows. Use --residual naive or auto, or a shorter --season.`,
      );
    }
    const available = (Object.keys(BASELINE_NAMES) as (keyof Baselines)[]).filter((kind) => this.baselines[kind] && (kind !== 'seasonal' || seasonalFits));
    if (asked !== 'auto') {
      if (!this.baselines[asked]) {
        const why = asked === 'seasonal' ? 'no season was found or given (set --season N)' : 'the ETS baseline could not be fitted';
        throw new UsageError(
          `--residual ${asked} needs the ${BASELINE_WORDS[asked]} baseline, but ${why}. Use --residual auto, or one of: none, ${available.join(', ')}.`,
        );
      }
      return asked;
    }
    const origins = this.validationOrigins();
    const errors = available.map((kind) => ({ kind, mae: this.validationMae(this.baselines[kind] as OriginForecaster, origins) }));
    const best = errors.reduce((a, b) => (b.mae < a.mae ? b : a));
    this.notes.push(
      `The model corrects the ${BASELINE_WORDS[best.kind]} forecast, the best baseline on validation (MAE ${errors.map((e) => `${BASELINE_WORDS[e.kind]} ${fmt(e.mae)}`).join(', ')}).`,
    );
    return best.kind;
  }

  /**
   * The baselines whose forecasts the head reads, with `--guides auto`: ETS, and seasonal naive when a window is
   * shorter than its season (a window of a season or more already holds what seasonal naive repeats). Given the
   * statistical forecast, the model learns when to trust it (daily counts with a weekly cycle, 45 s: test MAE 2xx
   * with the guides against 2xx without; see the closing note of the forecasting issue).
   */
  private chooseGuides(lookback: number, season: number | null): NonNullable<SeriesDataInfo['guides']> {
    if (this.args.guides === 'off') return [];
    const guides: NonNullable<SeriesDataInfo['guides']> = [];
    if (this.baselines.ets) guides.push('ets');
    if (this.baselines.seasonal && season !== null && season > lookback && this.seasonalFits(lookback, season)) guides.push('seasonal');
    return guides;
  }

  /** Whether the seasonal-naive forecast can serve as base or guide: it needs a whole season before each training origin, allowed while half the windows remain. */
  private seasonalFits(lookback: number, season: number | null): boolean {
    const windows = this.splits.trainEnd - this.args.horizon - lookback + 1;
    return season !== null && this.splits.trainEnd - this.args.horizon - Math.max(lookback, season) + 1 >= windows / 2;
  }

  /** Mean absolute error of a forecaster over validation origins, in original units. */
  private validationMae(forecaster: OriginForecaster, origins: number[]): number {
    const residuals = residualsByStep(this.series.target, origins, forecaster, this.args.horizon);
    let sum = 0;
    let count = 0;
    for (const step of residuals) {
      for (const r of step) sum += r;
      count += step.length;
    }
    return count > 0 ? sum / count : Infinity;
  }

  /** The first training origin: a window needs `lookback` rows, and a seasonal base or guide a whole season, up to its origin. */
  private get firstTrainOrigin(): number {
    return Math.max(this.dataInfo.lookback, usesSeasonal(this.dataInfo) ? (this.dataInfo.season as number) : 0) - 1;
  }

  /** Training windows end at origins firstTrainOrigin … trainEnd−horizon−1. */
  private get trainOrigins(): number {
    return this.splits.trainEnd - this.args.horizon - this.firstTrainOrigin;
  }

  /** Origins whose horizon lies in the validation split, evenly strided down to maxEvalItems. */
  private validationOrigins(): number[] {
    return chooseOrigins(this.splits.trainEnd - 1, this.splits.testStart - this.args.horizon - 1, this.args.maxEvalItems);
  }

  sampleBatch(rng: Rng): TrainBatch {
    const origins = Array.from({ length: this.args.batch }, () => this.firstTrainOrigin + rng.int(this.trainOrigins));
    const { x, future, y } = this.windows.windowArrays(origins, true);
    return { rows: origins.length, inputs: x, targets: y as Float32Array, ...(future ? { future } : {}) };
  }

  async validationLoss(model: SequenceModel): Promise<number> {
    const windows = Math.min(this.args.maxEvalItems, Math.max(1, Math.floor(SERIES_VALIDATION_STEPS / this.dataInfo.lookback)));
    const origins = chooseOrigins(this.splits.trainEnd - 1, this.splits.testStart - this.args.horizon - 1, windows);
    let sum = 0;
    for (let i = 0; i < origins.length; i += VALIDATION_BATCH) {
      const chunk = origins.slice(i, i + VALIDATION_BATCH);
      const loss = tf.tidy(() => {
        const { x, future, y } = this.windows.windows(chunk, true);
        return tf.mul(forecastLoss(this.args.loss, model.forecast(x, future), y as tf.Tensor2D), chunk.length);
      });
      sum += (await loss.data())[0];
      loss.dispose();
    }
    return sum / origins.length;
  }

  private testOrigins(limit?: number): number[] {
    return chooseOrigins(this.splits.testStart - 1, this.series.target.length - this.args.horizon - 1, limit);
  }

  /** The model and every available baseline, as forecasters over the given origins (the model's computed up front). */
  private async forecasters(model: SequenceModel, origins: number[]): Promise<Record<string, OriginForecaster>> {
    const modelForecasts = await forecastOrigins(model, this.windows, origins);
    const forecasters: Record<string, OriginForecaster> = { model: (origin) => modelForecasts.get(origin) as Float64Array };
    for (const kind of Object.keys(BASELINE_NAMES) as (keyof Baselines)[]) {
      const forecaster = this.baselines[kind];
      if (forecaster) forecasters[BASELINE_NAMES[kind]] = forecaster;
    }
    return forecasters;
  }

  /** Split-conformal half-widths [level][step] of every forecaster, from its absolute residuals on the validation split. */
  private async calibrate(model: SequenceModel): Promise<Record<string, { levels: number[]; widths: number[][] }>> {
    if (this.calibrated?.model === model) return this.calibrated.halfWidths;
    const origins = chooseOrigins(this.splits.trainEnd - 1, this.splits.testStart - this.args.horizon - 1, this.args.maxOrigins);
    const levels = this.args.levels.map((percent) => percent / 100);
    const forecasters = await this.forecasters(model, origins);
    const halfWidths = Object.fromEntries(
      Object.entries(forecasters).map(([name, forecaster]) => [
        name,
        { levels, widths: conformalHalfWidths(residualsByStep(this.series.target, origins, forecaster, this.args.horizon), levels) },
      ]),
    );
    this.calibrated = { model, halfWidths };
    return halfWidths;
  }

  async evaluate(model: SequenceModel): Promise<RunSummary> {
    const halfWidths = await this.calibrate(model);
    const origins = this.testOrigins(this.args.maxOrigins);
    const result = rollingOriginEvaluate({
      series: this.series.target,
      testStart: this.splits.testStart,
      trainEnd: this.splits.trainEnd,
      horizon: this.args.horizon,
      origins: this.args.maxOrigins,
      forecasters: await this.forecasters(model, origins),
      halfWidths,
    });
    const scores = (name: string): SeriesMetrics | null => (result.scores[name] ? seriesMetrics(result.scores[name]) : null);
    return {
      task: 'series',
      metrics: scores('model') as SeriesMetrics,
      baselines: { naive: scores('naive') as SeriesMetrics, seasonalNaive: scores('seasonalNaive'), ets: scores('ets') },
      origins: result.origins.length,
      season: this.dataInfo.season === null ? null : { period: this.dataInfo.season, label: this.dataInfo.seasonLabel ?? `${this.dataInfo.season} steps` },
      calibration: { levels: halfWidths.model.levels, halfWidths: halfWidths.model.widths },
    };
  }

  async artifacts(model: SequenceModel): Promise<Record<string, unknown>> {
    return { 'forecast.json': await this.chart(model) };
  }

  /** The dashboard's forecast chart: recent history, the test actuals, backtests one horizon apart with the model's intervals, and the future. */
  private async chart(model: SequenceModel): Promise<ForecastChart> {
    const { target, time } = this.series;
    const { horizon } = this.args;
    const rows = target.length;
    const firstRow = Math.max(0, rows - CHART_POINTS);
    const origins = this.testOrigins().filter((origin, _, all) => (origin - all[0]) % horizon === 0);
    const forecasters = await this.forecasters(model, [...origins, rows - 1]);
    const { levels, widths } = (await this.calibrate(model)).model;
    const line = () => new Array<number | null>(rows - firstRow).fill(null);
    const backtest: ForecastChart['backtest'] = {};
    const bands: ForecastBand[] = levels.map((level) => ({ level: Number(levelKey(level)), lower: line(), upper: line() }));
    for (const [name, forecaster] of Object.entries(forecasters)) {
      backtest[name] = line();
      for (const origin of origins) {
        const values = forecaster(origin);
        for (let h = 0; h < horizon && origin + 1 + h < rows; h++) {
          const row = origin + 1 + h - firstRow;
          if (row < 0) continue;
          backtest[name][row] = values[h];
          if (name === 'model') bands.forEach((band, l) => ((band.lower[row] = values[h] - widths[l][h]), (band.upper[row] = values[h] + widths[l][h])));
        }
      }
    }
    const future = Array.from(forecasters.model(rows - 1));
    return {
      target: this.series.targetName,
      time: time ? Array.from(time.subarray(firstRow)) : null,
      firstRow,
      actual: Array.from(target.subarray(firstRow)),
      testStart: this.splits.testStart,
      backtest,
      backtestBands: bands,
      future: {
        time: time && this.dataInfo.timeStep ? continueTime(time[rows - 1], this.dataInfo.timeStep, horizon) : null,
        values: future,
        bands: futureBands({ levels, halfWidths: widths }, future),
      },
    };
  }
}

/** Prediction intervals around a forecast, from a calibration's half-widths (level in percent). */
export function futureBands(calibration: { levels: number[]; halfWidths: number[][] }, forecast: number[]): ForecastBand[] {
  return calibration.levels.map((level, l) => ({
    level: Number(levelKey(level)),
    lower: forecast.map((value, h) => value - calibration.halfWidths[l][h]),
    upper: forecast.map((value, h) => value + calibration.halfWidths[l][h]),
  }));
}

/** Whether a run's model reads the seasonal-naive forecast, as its base or as a guide. */
export function usesSeasonal(info: SeriesDataInfo): boolean {
  return info.residual === 'seasonal' || (info.guides ?? []).includes('seasonal');
}

/** The season fields of a trained run (older runs have no label or list). */
function trainedSeasons(trained: SeriesDataInfo): Pick<SeriesDataInfo, 'season' | 'seasonSource' | 'seasonLabel' | 'seasons'> {
  return { season: trained.season, seasonSource: trained.seasonSource, seasonLabel: trained.seasonLabel ?? null, seasons: trained.seasons ?? [] };
}

/** Scores as stored in run.json: MASE is null when undefined. */
function seriesMetrics(s: ForecastScores): SeriesMetrics {
  return {
    mae: s.mae,
    rmse: s.rmse,
    smape: s.smape,
    mase: Number.isFinite(s.mase) ? s.mase : null,
    maeByStep: s.maeByStep,
    ...(s.intervals ? { intervals: s.intervals } : {}),
  };
}

/** A calendar cycle in words. */
function cycleWords(cycle: string): string {
  return cycle.replace(/[A-Z]/g, (c) => ' ' + c.toLowerCase());
}

function fmt(value: number): string {
  return Number.isFinite(value) ? value.toPrecision(4) : String(value);
}
