// The run-folder format: run.json's record, metrics.jsonl's lines, forecast.json's chart, the files' names, and reading them without Node APIs.
import { z } from 'zod';
import type { CellType, PoolMode, Task, TokenKind, TrainArgs } from './options';
import { UsageError } from './options';

/** The version of run.json this code writes; a newer one is refused with a clear message. */
export const RUN_FORMAT_VERSION = 1;
/** Files of a run folder. */
export const RUN_FILE = 'run.json';
export const METRICS_FILE = 'metrics.jsonl';
export const MODEL_FILE = 'model.json';
export const RESUME_FILE = 'resume.json';
export const FORECAST_FILE = 'forecast.json';
/** A classifier's naive-Bayes prior (`--prior naive-bayes`): the counts it predicts from. */
export const NAIVE_BAYES_FILE = 'naive-bayes.json';
/** Model weights are saved as `weights-<step>.bin`, named in model.json. */
export const MODEL_WEIGHTS_PREFIX = 'weights';
/** A run id as the engine names run folders: one safe path segment (no separators, no leading dot). */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** The architecture of a model: enough to rebuild it before loading its weights. */
export const modelSpecSchema = z.object({
  task: z.enum(['text', 'series', 'classify']) satisfies z.ZodType<Task>,
  cell: z.enum(['rnn', 'lstm', 'gru']) satisfies z.ZodType<CellType>,
  hidden: z.number().int().positive(),
  layers: z.number().int().positive(),
  dropout: z.number().min(0).max(1),
  /** Text: vocabulary size (inputs and outputs). */
  vocabSize: z.number().int().positive().optional(),
  /** Text: embedding width. */
  embedding: z.number().int().positive().optional(),
  /** Series: features per time step (the target plus extra inputs). */
  inputSize: z.number().int().positive().optional(),
  /** Series: steps predicted at once. */
  horizon: z.number().int().positive().optional(),
  /** Series: known future covariates fed to the head beside the last hidden state (horizon × calendar features; absent = 0). */
  futureSize: z.number().int().nonnegative().optional(),
  /** Classify: the number of classes the head scores. */
  classes: z.number().int().positive().optional(),
  /** Classify: how the recurrent outputs of a text's own steps become one vector for the head. */
  pool: z.enum(['last', 'mean', 'max']).optional() satisfies z.ZodType<PoolMode | undefined>,
  /**
   * The head predicts a correction to a baseline (series: its forecast; classify: naive Bayes' log-probabilities), so
   * it starts at zero and an untrained model predicts what the baseline does.
   */
  residual: z.boolean().optional(),
});
export type ModelSpec = z.infer<typeof modelSpecSchema>;

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

// The data facts of run.json (`data`): declared once as schemas, checked whenever a record is read (an edited or
// damaged run.json is refused in one line instead of failing later inside a forecast), and their types inferred.

const count = z.number().int().nonnegative();
const positive = z.number().int().positive();
const tokenKind = z.enum(['char', 'word']) satisfies z.ZodType<TokenKind>;
/** The vocabulary; index = token id; index 0 is the unknown token. */
const vocab = z.array(z.string()).min(1);
/** Word runs: the tokenizer version (1: whitespace runs as tokens, absent in older runs; 2: words carry their leading space). */
const wordTokenizer = z.union([z.literal(1), z.literal(2)]).optional();

/** What training learned about a text corpus, enough to predict without the data. */
const textDataSchema = z.object({
  kind: z.literal('text'),
  tokens: tokenKind,
  vocab,
  trainTokens: count,
  valTokens: count,
  /** The sequence length used (may be shorter than asked for a short text). */
  seqLen: positive,
  /** Trained with stateful truncated BPTT (each batch continuing the last one's streams and state); absent in older runs = false. */
  stateful: z.boolean().optional(),
  wordTokenizer,
});
export type TextDataInfo = z.infer<typeof textDataSchema>;

/** A regular time step: whole calendar months (monthly, quarterly, yearly data) or a fixed number of milliseconds. */
const timeStepSchema = z.union([z.object({ months: positive }), z.object({ ms: z.number().positive() })]);
export type TimeStep = z.infer<typeof timeStepSchema>;

/** An additive Holt-Winters (ETS) model's parameters: trend, season and smoothing weights (sse and aic: null when not finite). */
const etsParametersSchema = z.object({
  trend: z.enum(['none', 'additive', 'damped']),
  season: positive.nullable(),
  alpha: z.number(),
  beta: z.number(),
  gamma: z.number(),
  phi: z.number(),
  sse: z.number().nullable(),
  aic: z.number().nullable(),
});
export type EtsParameters = z.infer<typeof etsParametersSchema>;

/** What training learned about a series, enough to forecast from new data. */
const seriesDataSchema = z
  .object({
    kind: z.literal('series'),
    target: z.string(),
    inputs: z.array(z.string()),
    timeColumn: z.string().nullable(),
    /** Z-score statistics of each feature (target first), from the training split only. */
    mean: z.array(z.number()).min(1),
    std: z.array(z.number()).min(1),
    rows: positive,
    /** Rows [0, trainEnd) train, [trainEnd, valEnd) validate, [valEnd, rows) test. */
    trainEnd: positive,
    valEnd: positive,
    lookback: positive,
    horizon: positive,
    /** The seasonal period of the seasonal-naive baseline (the strongest season), in steps. */
    season: positive.nullable(),
    seasonSource: z.enum(['given', 'detected', 'none']),
    /** The period in words for the time step ("7 days", "24 hours"), for the metrics table. */
    seasonLabel: z.string().nullable().optional(),
    /** Every season found, strongest first (absent in older runs). */
    seasons: z.array(z.object({ period: positive, acf: z.number(), label: z.string() })).optional(),
    /** Calendar cycles fed to the model as sin/cos pairs, for the lookback and each forecast step (absent or empty: none). */
    calendar: z.array(z.string()).optional(),
    /** The baseline whose forecast the model's head corrects (absent in older runs: none). */
    residual: z.enum(['none', 'naive', 'seasonal', 'ets']).optional(),
    /** `last`: the model also reads the target's change since each window's last value (absent in older runs: none). */
    windowNorm: z.enum(['none', 'last']).optional(),
    /** Baselines whose forecasts the head reads as known future covariates, beside the calendar (absent in older runs: none). */
    guides: z.array(z.enum(['seasonal', 'ets'])).optional(),
    /** The ETS baseline's parameters, fitted on the training split (absent when it could not be fitted, or in older runs). */
    ets: etsParametersSchema.nullable().optional(),
    /** One-hot encoded input columns and their levels, in the order of their expanded input names. */
    categorical: z.array(z.object({ column: z.string(), levels: z.array(z.string()) })).optional(),
    /** The spacing of the time column, for continuing it past the end of the data: calendar months, or a fixed ms step. */
    timeStep: timeStepSchema.nullable(),
  })
  .refine((d) => d.trainEnd <= d.valEnd && d.valEnd <= d.rows, { message: 'the splits must satisfy trainEnd ≤ valEnd ≤ rows', path: ['valEnd'] })
  .refine((d) => d.mean.length === d.std.length, { message: 'mean and std must have one entry per feature', path: ['std'] });
export type SeriesDataInfo = z.infer<typeof seriesDataSchema>;

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

/** What training learned about a labelled-text file, enough to classify new texts without the data. */
const classifyDataSchema = z.object({
  kind: z.literal('classify'),
  tokens: tokenKind,
  /** The vocabulary; index = token id; index 0 is the unknown token (and the padding, which is never read). */
  vocab,
  wordTokenizer,
  /** The class names; index = class id, in the order of first appearance in the file. */
  labels: z.array(z.string()).min(2),
  /** The columns read, by header name (or `column1..N` without a header), and whether the file has a header row. */
  textColumn: z.string(),
  labelColumn: z.string(),
  header: z.boolean(),
  /** Longest text in tokens the model reads; longer ones are cut (the first `maxLen` tokens kept). */
  maxLen: positive,
  /** Rows in each split (stratified by class) and each class's rows in the training split. */
  rows: z.object({ train: count, val: count, test: count }),
  classCounts: z.array(count),
  /** The loss weight of each class (`--class-weights auto`: inversely proportional to its training rows); null = all 1. */
  classWeights: z.array(z.number()).nullable(),
  /** `--prior naive-bayes`: the temperature of the naive-Bayes prior, whose counts are in NAIVE_BAYES_FILE; null = none. */
  prior: z.object({ scale: z.number() }).nullable().optional(),
  /** The text run whose embedding and recurrent layers this run started from (`--init-from`), or null. */
  parent: z.object({ id: z.string(), runDir: z.string() }).nullable(),
});
export type ClassifyDataInfo = z.infer<typeof classifyDataSchema>;

/** run.json's `progress`: how far training got, and its best evaluation (the checkpoint predictions use). */
export const progressSchema = z.object({
  step: count,
  epoch: z.number().nonnegative(),
  /** Seconds spent training, over every session. */
  seconds: z.number().nonnegative(),
  bestStep: count.nullable(),
  bestValLoss: z.number().nullable(),
});
export type RunProgress = z.infer<typeof progressSchema>;

/** run.json's `data`: what training learned about the data of each kind of run. */
export const dataInfoSchema = z.discriminatedUnion('kind', [textDataSchema, seriesDataSchema, classifyDataSchema]);

/** Precision, recall, F1 and the number of test rows of one class. */
export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Classification metrics on the test split. */
export interface ClassifyMetrics {
  accuracy: number;
  /** The unweighted mean of the classes' F1. */
  macroF1: number;
  /** Mean −log p(true class), nats; a baseline that gives a class probability 0 is clipped at 1e-15 as scikit-learn does. */
  logLoss: number;
  perClass: Record<string, ClassMetrics>;
  /** `matrix[actual][predicted]` counts, rows and columns in the order of `labels`. */
  confusion: { labels: string[]; matrix: number[][] };
}

/** A test row the model got wrong, for the dashboard's list (sorted by the model's confidence, most confident first). */
export interface MisclassifiedRow {
  /** 1-based line of the row in the data file. */
  line: number;
  /** The row's text, cut to {@link MISCLASSIFIED_TEXT_CHARS} characters. */
  text: string;
  label: string;
  predicted: string;
  /** The model's probability for the predicted label. */
  confidence: number;
}

/** Characters of a misclassified row's text kept in run.json. */
export const MISCLASSIFIED_TEXT_CHARS = 300;

/** The final figures of a run, with the baselines beside the model. */
export type RunSummary =
  | {
      task: 'classify';
      metrics: ClassifyMetrics;
      baselines: { majority: ClassifyMetrics; naiveBayes: ClassifyMetrics };
      /** The test rows the model got wrong, most confident first (at most 200). */
      errors: MisclassifiedRow[];
    }
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
  data: TextDataInfo | SeriesDataInfo | ClassifyDataInfo;
  /** Adjustments made to fit the data, and warnings about it. */
  notes: string[];
  progress: RunProgress;
  summary?: RunSummary;
  /** A run made by `seqlab import` from a PyTorch export trained elsewhere (absent for runs SeqLab trained). */
  importedFrom?: ImportedFrom;
}

/** Where an imported run's model came from: the export folder, the weights folder read, and the run it was exported from. */
export interface ImportedFrom {
  /** The export folder, absolute. */
  exportDir: string;
  /** The weights folder read, relative to the export folder (e.g. checkpoints/step-0000130). */
  weights: string;
  /** Id and folder of the run that was exported. */
  run: string;
  runDir: string;
  /** Optimizer steps of the imported weights. */
  step: number;
  /** What wrote the weights (train.py: torch version, processes, backend), as its manifest says. */
  writer?: Record<string, unknown>;
  importedAt: string;
}

/** The `writer.by` of the weights `seqlab export` writes (train.py's checkpoints say "train.py"). */
export const EXPORT_WRITER = 'seqlab export';

/** What trained imported weights, as their manifest's `writer` says ("train.py (2 processes, gloo, torch 1.13.0)"); only short plain values are shown. */
export function describeWriter(writer: Record<string, unknown> | undefined): string {
  const processes = Number.isInteger(writer?.processes) && (writer?.processes as number) > 0 ? (writer?.processes as number) : null;
  const backend = plainValue(writer?.backend);
  const torch = plainValue(writer?.torch);
  const how = [
    processes === null ? null : `${processes.toLocaleString('en-US')} process${processes === 1 ? '' : 'es'}`,
    backend === 'none' ? null : backend,
    torch && `torch ${torch}`,
  ].filter(Boolean);
  return `${plainValue(writer?.by) ?? 'PyTorch'}${how.length ? ` (${how.join(', ')})` : ''}`;
}

/**
 * An imported run's origin in one line: the step, what trained it ({@link describeWriter}) and the exported run.
 * run.json and the manifest are files a user may edit, so only short plain values are shown.
 */
export function describeImport(from: ImportedFrom): string {
  const step = Number.isInteger(from.step) ? ` at step ${from.step.toLocaleString('en-US')}` : '';
  const run = typeof from.run === 'string' && from.run.length <= 100 && RUN_ID_PATTERN.test(from.run) ? from.run : null;
  if (from.writer?.by === EXPORT_WRITER) return `Imported${step} as SeqLab exported it, not trained further in PyTorch${run ? ` (run ${run})` : ''}.`;
  return `Imported from PyTorch${step}: trained by ${describeWriter(from.writer)}${run ? `, continuing run ${run}` : ''}.`;
}

/** A value short and plain enough to show as it is (letters, digits, spaces and . + - _), else null. */
function plainValue(value: unknown): string | null {
  return typeof value === 'string' && /^[\w.+\- ]{1,40}$/.test(value) ? value : null;
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
  | {
      kind: 'event';
      step: number;
      message: string;
      seconds: number;
      /** Where the run's training changed hands, marked on the loss chart: resumed by SeqLab, continued in PyTorch, imported back. */
      mark?: TrainingMark;
    };

/** The events the loss chart marks with a line: where training was resumed, continued in PyTorch, or imported back. */
export type TrainingMark = 'resumed' | 'pytorch' | 'imported';

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

/** An error's message on one line, for a message that quotes it (JSON.parse's quotes the text around the error, line ends included). */
export function errorLine(error: unknown): string {
  return (error as Error).message.replace(/\s+/g, ' ');
}

/**
 * Checks run.json's text as read from `runDir`: a SeqLab record of a format this code reads.
 * @throws UsageError that says what is wrong with the folder and what to do.
 */
export function parseRunRecord(text: string, runDir: string): RunRecord {
  let record: RunRecord;
  try {
    record = JSON.parse(text) as RunRecord;
  } catch (error) {
    throw new UsageError(
      `${runDir} cannot be opened: ${RUN_FILE} is not valid JSON (${errorLine(error)}); the file is truncated or damaged. Restore its ${RUN_FILE}, or train a new run.`,
    );
  }
  const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject(record) || typeof record.formatVersion !== 'number' || typeof record.id !== 'string' || !isObject(record.config) || !isObject(record.data)) {
    throw new UsageError(`${runDir} cannot be opened: its ${RUN_FILE} is not a SeqLab run record.`);
  }
  if (record.formatVersion > RUN_FORMAT_VERSION) {
    throw new UsageError(
      `${runDir} was written by a newer SeqLab (run format ${record.formatVersion}; this one reads up to ${RUN_FORMAT_VERSION}). Update SeqLab to open it.`,
    );
  }
  const problem = recordProblem(record);
  if (problem) throw new UsageError(`${runDir} cannot be opened: ${problem} in its ${RUN_FILE}, which was edited or damaged. Restore it, or train a new run.`);
  return record;
}

/** The parts of a run record checked against a schema when it is read. */
const checkedRecordSchema = z.object({ model: modelSpecSchema, data: dataInfoSchema, progress: progressSchema });

/**
 * What is wrong with a record's `model`, `data` or `progress` as their schemas read them ("data.season: Invalid input:
 * expected number, received string"), or null when nothing is.
 */
export function recordProblem(record: unknown): string | null {
  const parsed = checkedRecordSchema.safeParse(record);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  const at = [...issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : String(key)))].join('.').replace(/\.\[/g, '[');
  return `${at}: ${issue.message.replace(/\s+/g, ' ').slice(0, 200)}`;
}

/** How a run marked running reads once its training process is gone without finishing it. */
export const ENDED_UNEXPECTEDLY = 'The training process ended unexpectedly (its metrics up to then are kept).';

/** A record marked failed because its training process ended without finishing; its metrics and best checkpoint stay. */
export function failedRecord(record: RunRecord, message: string, now = new Date()): RunRecord {
  return { ...record, status: 'failed', message, pid: undefined, updatedAt: now.toISOString() };
}

/** The kinds of metrics line. */
const METRICS_KINDS: readonly string[] = ['train', 'val', 'event'] satisfies MetricsLine['kind'][];

/**
 * The metrics lines of a chunk of metrics.jsonl that ends with a complete line; a damaged line (not JSON, or not an
 * object with a known kind and a step) is skipped, the rest kept.
 */
export function parseMetricsLines(text: string): MetricsLine[] {
  const lines: MetricsLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      // A damaged line: everything around it is kept.
      continue;
    }
    const metrics = value as MetricsLine;
    if (typeof value === 'object' && value !== null && METRICS_KINDS.includes(metrics.kind) && Number.isFinite(metrics.step)) lines.push(metrics);
  }
  return lines;
}

/** Whether a run has a model to predict with: finished, stopped, or failed after saving a best checkpoint. */
export function hasUsableModel(run: { status: RunStatus | 'corrupt'; progress: Pick<RunRecord['progress'], 'bestStep'> | null }): boolean {
  return run.status === 'completed' || run.status === 'cancelled' || (run.status === 'failed' && (run.progress?.bestStep ?? null) !== null);
}
