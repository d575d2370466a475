// Forecasting on a CSV series: windows, validation, rolling-origin test metrics beside naive baselines, and the chart data.
import * as tf from '@tensorflow/tfjs-core';
import { MIN_STEPS_PER_EPOCH, type TrainArgs } from '../config';
import { loadSeriesCsv, type LoadedSeries } from '../data/csv';
import { continueTime, featureStatistics, inferTimeStep, SeriesWindows, splitSeries, type SeriesSplits } from '../data/series';
import { baselineForecasters, chooseOrigins, detectSeason, rollingOriginEvaluate, type OriginForecaster } from '../eval/seriesMetrics';
import { forecastLoss } from '../losses';
import type { ModelSpec, SequenceModel } from '../model';
import type { Rng } from '../rng';
import type { ForecastChart, RunSummary, SeriesDataInfo, SeriesMetrics } from '../../shared/protocol';
import type { TrainingTask } from './task';
import type { LossSpec, TrainBatch } from './batch';

/** Windows per forward pass when predicting many origins. */
const PREDICT_BATCH = 128;
/** The most points of history drawn in the dashboard's forecast chart. */
const CHART_POINTS = 2000;

/** A CSV series ready for training. */
export class SeriesTask implements TrainingTask {
  readonly kind = 'series';
  readonly throughputUnit = 'windows/s';
  readonly lossSpec: LossSpec;
  readonly spec: ModelSpec;
  readonly dataInfo: SeriesDataInfo;
  readonly notes: string[];
  readonly stepsPerEpoch: number;
  readonly itemsPerStep: number;
  private readonly series: LoadedSeries;
  private readonly splits: SeriesSplits;
  readonly windows: SeriesWindows;

  /** `trained` carries a trained run's normalisation and season, to evaluate or resume on the same scale. */
  constructor(
    text: string,
    private readonly args: TrainArgs,
    trained?: SeriesDataInfo,
  ) {
    this.series = loadSeriesCsv(text, { column: args.column, inputs: args.inputs, missing: args.missing });
    const { lookback, horizon } = args;
    const rows = this.series.target.length;
    this.splits = splitSeries(rows, lookback, horizon, args.val, args.test);
    const columns = SeriesWindows.columnsOf(this.series);
    const { mean, std } = trained ?? featureStatistics(columns, this.splits.trainEnd);
    this.windows = new SeriesWindows(columns, mean, std, lookback, horizon);
    this.notes = [...this.series.report.warnings];
    const { season, seasonSource } = trained ?? this.chooseSeason();
    this.spec = { task: 'series', cell: args.cell, hidden: args.hidden, layers: args.layers, dropout: args.dropout, inputSize: columns.length, horizon };
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
      season,
      seasonSource,
      timeStep: inferTimeStep(this.series.time),
    };
    this.lossSpec = { task: 'series', loss: args.loss };
    this.itemsPerStep = args.batch;
    this.stepsPerEpoch = Math.max(MIN_STEPS_PER_EPOCH, Math.ceil(this.trainOrigins / args.batch));
  }

  private chooseSeason(): { season: number | null; seasonSource: SeriesDataInfo['seasonSource'] } {
    if (this.args.season !== 'auto') return { season: this.args.season, seasonSource: 'given' };
    const detected = detectSeason(this.series.target.subarray(0, this.splits.trainEnd));
    this.notes.push(detected.season === null ? 'No seasonality detected: the seasonal-naive baseline is skipped (set --season N to force one).' : `Detected season: ${detected.season} steps (autocorrelation ${detected.acf.toFixed(2)}).`);
    return { season: detected.season, seasonSource: detected.season === null ? 'none' : 'detected' };
  }

  /** Training windows end at origins lookback−1 … trainEnd−horizon−1. */
  private get trainOrigins(): number {
    return this.splits.trainEnd - this.args.horizon - this.args.lookback + 1;
  }

  sampleBatch(rng: Rng): TrainBatch {
    const origins = Array.from({ length: this.args.batch }, () => this.args.lookback - 1 + rng.int(this.trainOrigins));
    const { x, y } = this.windows.windowArrays(origins, true);
    return { rows: origins.length, inputs: x, targets: y as Float32Array };
  }

  async validationLoss(model: SequenceModel): Promise<number> {
    const origins = chooseOrigins(this.splits.trainEnd - 1, this.splits.testStart - this.args.horizon - 1, this.args.maxEvalItems);
    let sum = 0;
    for (let i = 0; i < origins.length; i += PREDICT_BATCH) {
      const chunk = origins.slice(i, i + PREDICT_BATCH);
      const loss = tf.tidy(() => {
        const { x, y } = this.windows.windows(chunk, true);
        return tf.mul(forecastLoss(this.args.loss, model.forecast(x), y as tf.Tensor2D), chunk.length);
      });
      sum += (await loss.data())[0];
      loss.dispose();
    }
    return sum / origins.length;
  }

  /** Model forecasts in original units for each origin, computed in batches. */
  async forecastAt(model: SequenceModel, origins: number[]): Promise<Map<number, Float64Array>> {
    const result = new Map<number, Float64Array>();
    const { horizon } = this.args;
    for (let i = 0; i < origins.length; i += PREDICT_BATCH) {
      const chunk = origins.slice(i, i + PREDICT_BATCH);
      const predicted = tf.tidy(() => model.forecast(this.windows.windows(chunk, false).x));
      const values = await predicted.data();
      predicted.dispose();
      chunk.forEach((origin, row) => result.set(origin, Float64Array.from(values.subarray(row * horizon, (row + 1) * horizon), (v) => this.windows.denormalize(v))));
    }
    return result;
  }

  private testOrigins(limit?: number): number[] {
    return chooseOrigins(this.splits.testStart - 1, this.series.target.length - this.args.horizon - 1, limit);
  }

  async evaluate(model: SequenceModel): Promise<RunSummary> {
    const origins = this.testOrigins(this.args.maxOrigins);
    const modelForecasts = await this.forecastAt(model, origins);
    const result = rollingOriginEvaluate({
      series: this.series.target,
      testStart: this.splits.testStart,
      trainEnd: this.splits.trainEnd,
      horizon: this.args.horizon,
      origins: this.args.maxOrigins,
      forecasters: { model: (origin) => modelForecasts.get(origin) as Float64Array, ...baselineForecasters(this.series.target, this.args.horizon, this.dataInfo.season) },
    });
    const scores = (name: string): SeriesMetrics => {
      const s = result.scores[name];
      return { mae: s.mae, rmse: s.rmse, smape: s.smape, mase: Number.isFinite(s.mase) ? s.mase : null };
    };
    return { task: 'series', metrics: scores('model'), baselines: { naive: scores('naive'), seasonalNaive: result.scores.seasonalNaive ? scores('seasonalNaive') : null }, origins: result.origins.length };
  }

  async artifacts(model: SequenceModel): Promise<Record<string, unknown>> {
    return { 'forecast.json': await this.chart(model) };
  }

  /** The dashboard's forecast chart: recent history, the test actuals, backtests one horizon apart, and the future. */
  private async chart(model: SequenceModel): Promise<ForecastChart> {
    const { target, time } = this.series;
    const { horizon } = this.args;
    const rows = target.length;
    const firstRow = Math.max(0, rows - CHART_POINTS);
    const origins = this.testOrigins().filter((origin, _, all) => (origin - all[0]) % horizon === 0);
    const forecasters: Record<string, OriginForecaster> = baselineForecasters(target, horizon, this.dataInfo.season);
    const modelForecasts = await this.forecastAt(model, [...origins, rows - 1]);
    forecasters.model = (origin) => modelForecasts.get(origin) as Float64Array;
    const backtest: ForecastChart['backtest'] = {};
    for (const [name, forecaster] of Object.entries(forecasters)) {
      const line: (number | null)[] = new Array(rows - firstRow).fill(null);
      for (const origin of origins) {
        const values = forecaster(origin);
        for (let h = 0; h < horizon && origin + 1 + h < rows; h++) if (origin + 1 + h >= firstRow) line[origin + 1 + h - firstRow] = values[h];
      }
      backtest[name] = line;
    }
    return {
      target: this.series.targetName,
      time: time ? Array.from(time.subarray(firstRow)) : null,
      firstRow,
      actual: Array.from(target.subarray(firstRow)),
      testStart: this.splits.testStart,
      backtest,
      future: {
        time: time && this.dataInfo.timeStep ? continueTime(time[rows - 1], this.dataInfo.timeStep, horizon) : null,
        values: Array.from(modelForecasts.get(rows - 1) as Float64Array),
      },
    };
  }
}
