// The data an export's train.py and predict.py read, prepared by SeqLab: token ids of the splits, or normalised series windows with their targets, baselines and the latest window.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MIN_STEPS_PER_EPOCH } from '../config';
import { loadSeriesCsv } from '../data/csv/loadSeriesCsv';
import { continueTime } from '../data/series';
import { seriesWindowsFor } from '../data/seriesInputs';
import { prepareTextCorpus, Vocabulary } from '../data/text';
import { chooseOrigins } from '../eval/seriesMetrics';
import { usesSeasonal } from '../tasks/seriesTask';
import { TextStreams } from '../data/textStreams';
import { MIN_STREAM_BATCHES } from '../config';
import { encodeNpy } from './npy';
import type { LoadedSource } from '../source';
import type { RunRecord, SeriesDataInfo, TextDataInfo } from '../../shared/runFolder';

/** data/train.json: which arrays train.py reads, and the data they came from. */
export interface DataManifest {
  format: 'seqlab-export-data';
  version: 1;
  task: 'text' | 'series';
  /** SHA-256 of the data file the arrays were made from (run.json's source). */
  sha256: string;
  /** Array name → .npy file beside this manifest. */
  arrays: Record<string, string>;
  /** Training batches in one epoch, as SeqLab counts them. */
  stepsPerEpoch: number;
}

/** What the export's config.json says about the series beyond run.json: the latest window's files and the forecast's time axis. */
export interface SeriesForecastInfo {
  /** .npy files (relative to the export folder) of the window ending at the last row: x [1, lookback, inputSize], future [1, futureSize], base [1, horizon]. */
  x: string;
  future: string | null;
  base: string;
  /** Times (epoch ms) of the forecast steps, or null without a time axis. */
  time: number[] | null;
  /** The target's mean and standard deviation over the training split: a forecast in original units is (output + base) · std + mean. */
  mean: number;
  std: number;
}

/** Writes an array into `dir` and returns its file name. */
function save(dir: string, name: string, values: Float32Array | Int32Array, shape: number[]): string {
  const file = `${name}.npy`;
  fs.writeFileSync(path.join(dir, file), encodeNpy(values, shape));
  return file;
}

/** Text: the training ids [0, trainEnd) and the held-out ids, as int32. */
export function writeTextData(dataDir: string, source: LoadedSource, record: RunRecord): DataManifest {
  const info = record.data as TextDataInfo;
  const vocab = new Vocabulary(info.vocab, info.tokens, info.wordTokenizer ?? 1);
  const corpus = prepareTextCorpus(source.text, record.config, vocab);
  const ids = Int32Array.from(corpus.ids);
  const train = ids.subarray(0, corpus.trainEnd);
  const val = ids.subarray(corpus.valStart);
  const { batch } = record.config;
  const seqLen = info.seqLen;
  const stateful = info.stateful === true && TextStreams.fit(corpus.trainEnd, batch, seqLen, MIN_STREAM_BATCHES);
  const stepsPerEpoch = Math.max(
    MIN_STEPS_PER_EPOCH,
    stateful ? new TextStreams({ ids: corpus.ids, end: corpus.trainEnd, rows: batch, seqLen }).batchesPerPass : Math.ceil(corpus.trainEnd / (batch * seqLen)),
  );
  return {
    format: 'seqlab-export-data',
    version: 1,
    task: 'text',
    sha256: record.source.sha256,
    arrays: { train_ids: save(dataDir, 'train_ids', train, [train.length]), val_ids: save(dataDir, 'val_ids', val, [val.length]) },
    stepsPerEpoch,
  };
}

/**
 * Series: every training window (the origins SeqLab samples batches from), the validation windows, and the window
 * ending at the last row for forecasting, all normalised as the model reads them: x, future covariates, the
 * normalised baseline a residual model corrects, and y = normalised targets minus that baseline.
 */
export function writeSeriesData(dataDir: string, source: LoadedSource, record: RunRecord): { manifest: DataManifest; forecast: SeriesForecastInfo } {
  const info = record.data as SeriesDataInfo;
  const { config } = record;
  const series = loadSeriesCsv(source.text, { column: info.target, inputs: config.inputs, missing: config.missing, categorical: info.categorical });
  const windows = seriesWindowsFor(series, info);
  const { lookback, horizon, trainEnd, valEnd } = info;
  const rows = series.target.length;
  const firstOrigin = Math.max(lookback, usesSeasonal(info) ? (info.season as number) : 0) - 1;
  const trainCount = trainEnd - horizon - firstOrigin;
  const arrays: Record<string, string> = {};
  const saveWindows = (prefix: string, origins: number[], withTargets: boolean) => {
    const { x, future, base, y } = windows.windowArrays(origins, withTargets);
    const n = origins.length;
    const files: Record<string, string> = {};
    files.x = save(dataDir, `${prefix}x`, x, [n, lookback, windows.inputSize]);
    files.future = future ? save(dataDir, `${prefix}future`, future, [n, windows.futureSize]) : '';
    files.base = save(dataDir, `${prefix}base`, base, [n, horizon]);
    if (y) files.y = save(dataDir, `${prefix}y`, y, [n, horizon]);
    return files;
  };
  const train = saveWindows(
    'train_',
    Array.from({ length: Math.max(0, trainCount) }, (_, i) => firstOrigin + i),
    true,
  );
  for (const [k, v] of Object.entries(train)) if (v) arrays[`train_${k}`] = v;
  const valOrigins = chooseOrigins(trainEnd - 1, valEnd - horizon - 1, config.maxEvalItems);
  const val = saveWindows('val_', valOrigins, true);
  for (const [k, v] of Object.entries(val)) if (v) arrays[`val_${k}`] = v;
  const latest = saveWindows('forecast_', [rows - 1], false);
  return {
    manifest: {
      format: 'seqlab-export-data',
      version: 1,
      task: 'series',
      sha256: record.source.sha256,
      arrays,
      stepsPerEpoch: Math.max(MIN_STEPS_PER_EPOCH, Math.ceil(trainCount / config.batch)),
    },
    forecast: {
      x: `data/${latest.x}`,
      future: latest.future ? `data/${latest.future}` : null,
      base: `data/${latest.base}`,
      time: series.time && info.timeStep ? continueTime(series.time[rows - 1], info.timeStep, horizon) : null,
      mean: info.mean[0],
      std: info.std[0],
    },
  };
}
