// The one protocol file: run records, metrics and progress shared by the engine, the CLI, the extension host and the webview.
import type { TrainArgs, Task, TokenKind } from '../engine/config';
import type { ModelSpec } from '../engine/model';

export type RunStatus = 'running' | 'completed' | 'cancelled' | 'failed';

/** Where a run's data came from. `text` and `stdin` sources are saved in the run folder as source.txt. */
export interface DataSource {
  kind: 'file' | 'text' | 'stdin';
  /** Absolute path, for `file`. */
  path?: string;
  /** SHA-256 of the bytes read, hex. */
  sha256: string;
  bytes: number;
}

/** What training learned about a text corpus, enough to predict without the data. */
export interface TextDataInfo {
  kind: 'text';
  tokens: TokenKind;
  /** The vocabulary; index = token id; index 0 is the unknown token. */
  vocab: string[];
  trainTokens: number;
  valTokens: number;
  /** The sequence length used (may be shorter than asked for a short text). */
  seqLen: number;
}

/** A regular time step: whole calendar months (monthly, quarterly, yearly data) or a fixed number of milliseconds. */
export type TimeStep = { months: number } | { ms: number };

/** What training learned about a series, enough to forecast from new data. */
export interface SeriesDataInfo {
  kind: 'series';
  target: string;
  inputs: string[];
  timeColumn: string | null;
  /** Z-score statistics of each feature (target first), from the training split only. */
  mean: number[];
  std: number[];
  rows: number;
  /** Rows [0, trainEnd) train, [trainEnd, valEnd) validate, [valEnd, rows) test. */
  trainEnd: number;
  valEnd: number;
  lookback: number;
  horizon: number;
  season: number | null;
  seasonSource: 'given' | 'detected' | 'none';
  /** The spacing of the time column, for continuing it past the end of the data: calendar months, or a fixed ms step. */
  timeStep: TimeStep | null;
}

/** Text metrics on the validation split (nats per token, perplexity, bits per character, top-1 accuracy). */
export interface TextMetrics {
  valLoss: number;
  perplexity: number;
  /** Only for character tokens. */
  bitsPerChar: number | null;
  accuracy: number;
  /** Targets the figures were computed on. */
  tokens: number;
}

/** Series metrics on the test split, in original units. `mase` is null when the in-sample naive error is zero. */
export interface SeriesMetrics {
  mae: number;
  rmse: number;
  smape: number;
  mase: number | null;
}

/** The final figures of a run, with the baselines beside the model. */
export type RunSummary =
  | { task: 'text'; metrics: TextMetrics; baselines: { bigram: TextMetrics } }
  | { task: 'series'; metrics: SeriesMetrics; baselines: { naive: SeriesMetrics; seasonalNaive: SeriesMetrics | null }; origins: number };

/** run.json: everything about one run. */
export interface RunRecord {
  formatVersion: number;
  id: string;
  name?: string;
  createdAt: string;
  updatedAt: string;
  status: RunStatus;
  /** Why the run failed or stopped, in words for the user. */
  message?: string;
  /** The training process while running, to tell an interrupted run from a live one. */
  pid?: number;
  task: Task;
  config: TrainArgs;
  source: DataSource;
  /** The TensorFlow.js backend used, and the ones that could not load. */
  backend: string;
  backendSkipped: { backend: string; reason: string }[];
  model: ModelSpec;
  params: number;
  data: TextDataInfo | SeriesDataInfo;
  /** Adjustments made to fit the data, and warnings about it. */
  notes: string[];
  progress: { step: number; epoch: number; seconds: number; bestStep: number | null; bestValLoss: number | null };
  summary?: RunSummary;
}

/** One line of metrics.jsonl: a training report, a validation evaluation, or a note. */
export type MetricsLine =
  | { kind: 'train'; step: number; epoch: number; loss: number; seconds: number }
  | { kind: 'val'; step: number; epoch: number; valLoss: number; seconds: number }
  | { kind: 'event'; step: number; message: string; seconds: number };

/** A throttled progress report from training. */
export interface TrainProgress {
  runId: string;
  step: number;
  epoch: number;
  epochs: number;
  /** Mean training loss since the previous report. */
  trainLoss: number;
  /** The latest validation loss, if evaluated yet. */
  valLoss: number | null;
  /** Tokens per second (text) or windows per second (series). */
  throughput: number;
  throughputUnit: 'tokens/s' | 'windows/s';
  seconds: number;
  /** Estimated seconds left, from the epochs or the time budget, whichever ends first. */
  etaSeconds: number | null;
}
