// The one protocol file: run records, metrics, progress and every message between the extension host, the engine process and the webview.
import { z } from 'zod';
import type { TrainArgs, Task, TokenKind } from '../engine/config';
import type { ModelSpec } from '../engine/model';
import { STOP_MODES } from '../engine/sampling';

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
  /** Trained with stateful truncated BPTT (each batch continuing the last one's streams and state); absent in older runs = false. */
  stateful?: boolean;
  /** Word runs: the tokenizer version (1: whitespace runs as tokens, absent in older runs; 2: words carry their leading space). */
  wordTokenizer?: 1 | 2;
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
  /** The seasonal period of the seasonal-naive baseline (the strongest season), in steps. */
  season: number | null;
  seasonSource: 'given' | 'detected' | 'none';
  /** The period in words for the time step ("7 days", "24 hours"), for the metrics table. */
  seasonLabel?: string | null;
  /** Every season found, strongest first (absent in older runs). */
  seasons?: { period: number; acf: number; label: string }[];
  /** Calendar cycles fed to the model as sin/cos pairs, for the lookback and each forecast step (absent or empty: none). */
  calendar?: string[];
  /** The baseline whose forecast the model's head corrects (absent in older runs: none). */
  residual?: 'none' | 'naive' | 'seasonal' | 'ets';
  /** `last`: the model also reads the target's change since each window's last value (absent in older runs: none). */
  windowNorm?: 'none' | 'last';
  /** Baselines whose forecasts the head reads as known future covariates, beside the calendar (absent in older runs: none). */
  guides?: ('seasonal' | 'ets')[];
  /** The ETS baseline's parameters, fitted on the training split (absent when it could not be fitted, or in older runs). */
  ets?: EtsParameters | null;
  /** One-hot encoded input columns and their levels, in the order of their expanded input names. */
  categorical?: { column: string; levels: string[] }[];
  /** The spacing of the time column, for continuing it past the end of the data: calendar months, or a fixed ms step. */
  timeStep: TimeStep | null;
}

/** An additive Holt-Winters (ETS) model's parameters: trend, season and smoothing weights. */
export interface EtsParameters {
  trend: 'none' | 'additive' | 'damped';
  season: number | null;
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  sse: number;
  aic: number;
}

/** Text metrics on the validation split (nats per token, perplexity, bits per character, top-1 accuracy). */
/**
 * How held-out text is scored: `carried`, as one stream with the recurrent state carried from each token to the next
 * (char-rnn's way); `reset`, in windows of seqLen tokens that each start from a zero state (tools that reset).
 */
export type TextScoring = 'carried' | 'reset';

export interface TextMetrics {
  /** How the state was handled (absent in older runs and for baselines = reset windows). */
  state?: TextScoring;
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
  /** MAE at each horizon step h = 1…H (absent in older runs). */
  maeByStep?: number[];
  /** Per interval level in percent ("80", "95"): the share of test values inside, the mean width and the Winkler score. */
  intervals?: Record<string, IntervalMetrics>;
}

/** How a forecaster's prediction intervals at one level did on the test split. */
export interface IntervalMetrics {
  /** Share of test values inside the interval (0…1). */
  coverage: number;
  /** Mean interval width, in original units. */
  width: number;
  /** Mean Winkler (interval) score: the width plus 2/α times each miss; lower is better. */
  winkler: number;
}

/** Split-conformal calibration of the model's intervals: the half-width per level (fractions) and horizon step, in original units. */
export interface IntervalCalibration {
  levels: number[];
  halfWidths: number[][];
}

/** The final figures of a run, with the baselines beside the model. */
export type RunSummary =
  | { task: 'text'; metrics: TextMetrics; baselines: { bigram: TextMetrics }; scorings?: Record<TextScoring, TextMetrics> }
  | {
      task: 'series';
      metrics: SeriesMetrics;
      baselines: { naive: SeriesMetrics; seasonalNaive: SeriesMetrics | null; ets?: SeriesMetrics | null };
      origins: number;
      /** The seasonal-naive baseline's period, in steps and in words ("7 days"); null without a season (absent in older runs). */
      season?: { period: number; label: string } | null;
      /** The model's interval half-widths, for forecasts past the end of the data (absent in older runs). */
      calibration?: IntervalCalibration;
    };

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
  /** Threads that shared each training batch (absent in runs made before training used threads). */
  threads?: number;
  model: ModelSpec;
  params: number;
  /** Wall seconds of the latest training session spent training and spent evaluating and checkpointing. */
  timing?: { trainSeconds: number; evalSeconds: number };
  data: TextDataInfo | SeriesDataInfo;
  /** Adjustments made to fit the data, and warnings about it. */
  notes: string[];
  progress: { step: number; epoch: number; seconds: number; bestStep: number | null; bestValLoss: number | null };
  summary?: RunSummary;
}

/** One line of metrics.jsonl: a training report, a validation evaluation, or a note. */
export type MetricsLine =
  | {
      kind: 'train';
      step: number;
      epoch: number;
      loss: number;
      seconds: number;
      /** The learning rate of the step (absent in runs made before the schedule). */ lr?: number;
    }
  | { kind: 'val'; step: number; epoch: number; valLoss: number; seconds: number }
  | { kind: 'event'; step: number; message: string; seconds: number };

/** A throttled progress report from training. */
export interface TrainProgress {
  runId: string;
  step: number;
  epoch: number;
  /** The epoch limit; 0 when the time budget alone ends the run. */
  epochs: number;
  /** Mean training loss since the previous report. */
  trainLoss: number;
  /** The latest validation loss, if evaluated yet. */
  valLoss: number | null;
  /** Tokens per second (text) or windows per second (series). */
  throughput: number;
  throughputUnit: 'tokens/s' | 'windows/s';
  seconds: number;
  /** Estimated seconds left, from the epochs at the recent speed or the time budget, whichever ends first. */
  etaSeconds: number | null;
}

/** forecast.json: what the dashboard's forecast chart draws, in original units. */
export interface ForecastChart {
  target: string;
  /** Time of each charted row (epoch ms), or null without a time axis (then rows are numbered). */
  time: number[] | null;
  /** Row index of the first charted row. */
  firstRow: number;
  actual: number[];
  testStart: number;
  /** Backtest forecasts over the test part from origins one horizon apart, row-aligned with `actual` (null where none). */
  backtest: Record<string, (number | null)[]>;
  /** The model's prediction intervals around its backtest, row-aligned with `actual` (absent in older runs). */
  backtestBands?: ForecastBand[];
  /** The forecast past the end of the data, with its prediction intervals. */
  future: { time: number[] | null; values: number[]; bands?: ForecastBand[] };
}

/** A prediction interval at one level (percent): lower and upper bounds, aligned with the values they surround (null where none). */
export interface ForecastBand {
  level: number;
  lower: (number | null)[];
  upper: (number | null)[];
}

/** A run as the dashboard and the Runs view show it (no file paths). */
export interface RunListItem {
  id: string;
  name: string;
  status: RunStatus | 'corrupt';
  task: Task | null;
  cell: string | null;
  createdAt: string | null;
  message: string | null;
  /** The key metric, formatted, e.g. "1.52 bpc" or "MASE 0.61". */
  keyMetric: string | null;
  summary: RunSummary | null;
  progress: RunRecord['progress'] | null;
  /** The backend, with the thread count when batches were shared between threads ("wasm, 2 threads"). */
  backend: string | null;
  params: number | null;
  /** Text runs: what validation losses are measured on; null for series runs and unreadable ones. */
  textValidation: TextValidationFacts | null;
}

/** A text run's validation split in tokens, and the most of them (its first ones) each evaluation during training scores. */
export interface TextValidationFacts {
  splitTokens: number;
  sampleTokens: number;
  /** The sequence length: windowed scoring leaves out up to this many tokens at the end of the split. */
  seqLen: number;
  /** Whether tokens are characters. */
  characters: boolean;
}

// ---------------------------------------------------------------------------------------------
// Messages. Names follow `area/verb`. Every message that arrives from another process or from the
// webview is parsed with its schema before use.
// ---------------------------------------------------------------------------------------------

/** A run id as the engine names run folders: one safe path segment (no separators, no leading dot). */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const runId = z.string().regex(RUN_ID_PATTERN, 'not a run id');
const requestId = z.number().int().nonnegative();
const prompt = z.string().max(100_000);
const generated = z.string().min(1).max(1_000_000);

/** What the host asks the engine to train; `args` are checked again by the engine's own validation. */
export const trainStartSchema = z.object({
  file: z.string().optional(),
  text: z.string().optional(),
  args: z.record(z.string(), z.unknown()),
  runsDir: z.string(),
  name: z.string().max(100).optional(),
  /** A run folder to continue from its last checkpoint (then only `args.epochs` and `args.maxSeconds` apply). */
  resume: z.string().optional(),
});

/** Messages from the extension host to an engine process. */
export const hostToEngineSchema = z.discriminatedUnion('type', [
  /** Sent by the host once, right after forking a training process: train this. */
  z.object({ type: z.literal('train/start'), request: trainStartSchema }),
  /** Sent by the host when the user stops a run; training ends between batches and keeps its best checkpoint. */
  z.object({ type: z.literal('train/cancel') }),
  /** Sent by the host (preview, hover, dashboard) to the prediction process: top-k next tokens after a prompt. */
  z.object({
    type: z.literal('predict/next'),
    id: requestId,
    runDir: z.string(),
    prompt,
    topK: z.number().int().min(1).max(200),
    target: z.string().max(1000).optional(),
  }),
  /** Sent by the host to the prediction process: continue a prompt. */
  z.object({
    type: z.literal('predict/generate'),
    id: requestId,
    runDir: z.string(),
    prompt,
    length: z.number().int().min(1).max(10_000),
    temperature: z.number().min(0).max(10),
    topK: z.number().int().min(0).max(1000),
    topP: z.number().min(0).max(1).optional(),
    repetitionPenalty: z.number().min(1).max(10).optional(),
    stop: z.enum(STOP_MODES).optional(),
    minLength: z.number().int().min(0).max(10_000).optional(),
    seed: z.number().int(),
  }),
  /** Sent by the host to the prediction process: forecast past the end of a CSV (the run's own data, or `file`). */
  z.object({
    type: z.literal('predict/forecast'),
    id: requestId,
    runDir: z.string(),
    file: z.string().optional(),
    horizon: z.number().int().min(1).optional(),
  }),
  /** Sent by the host when a run folder was deleted or retrained: drop cached models. */
  z.object({ type: z.literal('predict/forget'), runDir: z.string() }),
]);
export type HostToEngine = z.infer<typeof hostToEngineSchema>;

const recordSchema = z.looseObject({ id: z.string(), status: z.enum(['running', 'completed', 'cancelled', 'failed']) });

/** Messages from an engine process to the extension host. */
export const engineToHostSchema = z.discriminatedUnion('type', [
  /** Sent by the engine when its process has started and listens for requests. */
  z.object({ type: z.literal('engine/ready') }),
  /** Sent by a training process once its run folder exists. */
  z.object({ type: z.literal('train/created'), runDir: z.string(), record: recordSchema }),
  /** Sent by a training process at most every 250 ms and after each evaluation. */
  z.object({ type: z.literal('train/progress'), progress: z.looseObject({ runId: z.string(), step: z.number(), epoch: z.number(), trainLoss: z.number() }) }),
  /** Sent by a training process for messages to show the user (backend, adjustments to fit the data, why it stopped). */
  z.object({ type: z.literal('train/note'), message: z.string() }),
  /** Sent by a training process when its run has ended (completed, cancelled, or failed with its metrics kept). */
  z.object({ type: z.literal('train/finished'), runDir: z.string(), record: recordSchema }),
  /** Sent by a training process that could not start a run (bad data or options): `message` says what to fix. */
  z.object({ type: z.literal('train/error'), message: z.string(), usage: z.boolean() }),
  /** Sent by the prediction process in answer to a `predict/*` request. */
  z.object({ type: z.literal('predict/result'), id: requestId, result: z.unknown() }),
  /** Sent by the prediction process when a `predict/*` request failed. */
  z.object({ type: z.literal('predict/error'), id: requestId, message: z.string() }),
]);
/** The messages an engine sends, with their full types (the schema checks their shape on arrival). */
export type EngineToHost =
  | { type: 'engine/ready' }
  | { type: 'train/created'; runDir: string; record: RunRecord }
  | { type: 'train/progress'; progress: TrainProgress }
  | { type: 'train/note'; message: string }
  | { type: 'train/finished'; runDir: string; record: RunRecord }
  | { type: 'train/error'; message: string; usage: boolean }
  | { type: 'predict/result'; id: number; result: unknown }
  | { type: 'predict/error'; id: number; message: string };

/** Checks a message from an engine process; null when it does not match the protocol. */
export function parseEngineMessage(raw: unknown): EngineToHost | null {
  return engineToHostSchema.safeParse(raw).success ? (raw as EngineToHost) : null;
}

/** Messages from the webview to the extension host. */
export const webviewToHostSchema = z.discriminatedUnion('type', [
  /** Sent by the webview when its script has loaded: the host answers with `dashboard/state`. */
  z.object({ type: z.literal('webview/ready') }),
  /** Sent by the webview when the user selects a run: the host answers with `run/metrics` and, for series, `run/forecast`. */
  z.object({ type: z.literal('run/select'), runId }),
  /** Sent by the webview when the user checks runs to overlay: the host answers with `run/metrics` for each. */
  z.object({ type: z.literal('run/compare'), runIds: z.array(runId).max(20) }),
  /** Sent by the webview's prompt box: the host answers with `predict/result` or `request/error`. */
  z.object({ type: z.literal('predict/request'), requestId, runId, prompt: prompt.min(1), topK: z.number().int().min(1).max(50) }),
  /** Sent by the webview's Generate button: the host answers with `generate/result` or `request/error`. */
  z.object({
    type: z.literal('generate/request'),
    requestId,
    runId,
    prompt: prompt.min(1),
    length: z.number().int().min(1).max(2000),
    temperature: z.number().min(0).max(5),
  }),
  /** Sent by the webview's Copy button under a generated text: the host puts the text on the clipboard. */
  z.object({ type: z.literal('generation/copy'), text: generated }),
  /** Sent by the webview's Insert at cursor button under a generated text: the host inserts it at the cursor of the last active text editor, or says that none is open. */
  z.object({ type: z.literal('generation/insert'), text: generated }),
  /** Sent by the webview's Stop button on a running run. */
  z.object({ type: z.literal('train/stop'), runId }),
  /** Sent by the webview's Continue training button on a finished run: the host resumes it for another default budget. */
  z.object({ type: z.literal('train/continue'), runId }),
]);
export type WebviewToHost = z.infer<typeof webviewToHostSchema>;

/** Messages from the extension host to the webview (trusted: the host builds them). */
export type HostToWebview =
  /** Sent by the host on `webview/ready` and whenever the runs change. */
  | { type: 'dashboard/state'; runs: RunListItem[]; selectedRunId: string | null }
  /** Sent by the host with a run's metrics: all lines when `reset`, else lines appended since the last message. */
  | { type: 'run/metrics'; runId: string; lines: MetricsLine[]; reset: boolean }
  /** Sent by the host while a run trains (throttled by the engine). */
  | { type: 'run/progress'; progress: TrainProgress }
  /** Sent by the host after `run/select` on a finished series run. */
  | { type: 'run/forecast'; runId: string; chart: ForecastChart }
  /** Sent by the host in answer to `predict/request`. */
  | { type: 'predict/result'; requestId: number; runId: string; topK: { token: string; prob: number }[] }
  /** Sent by the host in answer to `generate/request`. */
  | { type: 'generate/result'; requestId: number; runId: string; text: string }
  /** Sent by the host when a webview request failed; `message` is for the user. */
  | { type: 'request/error'; requestId: number; message: string };
