// The one protocol file: every message between the extension host, the engine processes, the gradient threads and the webview, each declared once with its schema.
import { z } from 'zod';
import { CELLS, GENERATE_OPTIONS, type AnyOption, type Task } from './options';
import { INSPECT_STATES, packedActivationsSchema, surprisalResultSchema, unitSearchResultSchema, type InspectState, type UnitSearchResult } from './inspect';
import { RUN_ID_PATTERN, type ForecastChart, type MetricsLine, type ModelSpec, type RunRecord, type RunStatus, type RunSummary } from './runFolder';

/** A run as the dashboard and the Runs view show it (no file paths). */
export interface RunListItem {
  id: string;
  name: string;
  status: RunStatus | 'corrupt';
  task: Task | null;
  cell: (typeof CELLS)[number] | null;
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
  /** For a run `seqlab import` made: where its weights were trained, in one line ("Imported from PyTorch at step 2,987: …"); null for runs SeqLab trained. */
  importedFrom: string | null;
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
// Messages. Names follow `area/verb`. Every message that arrives from another process, thread or the
// webview is parsed with its schema before use.
// ---------------------------------------------------------------------------------------------

/** The schema of one option's values, from its entry in the options table. */
function optionSchema(option: AnyOption): z.ZodType {
  switch (option.kind) {
    case 'number': {
      const n = z.number().min(option.min).max(option.max);
      return option.integer ? n.int() : n;
    }
    case 'choice':
      return z.enum(option.choices as [string, ...string[]]);
    case 'boolean':
      return z.boolean();
    default:
      throw new Error(`no message carries a ${option.kind} option`);
  }
}
const generateOption = <K extends keyof typeof GENERATE_OPTIONS>(name: K) =>
  optionSchema(GENERATE_OPTIONS[name]) as z.ZodType<(typeof GENERATE_OPTIONS)[K]['default']>;

const runId = z.string().regex(RUN_ID_PATTERN, 'not a run id');
const requestId = z.number().int().nonnegative();
/** The longest prompt, or text to classify, a request carries; longer ones are cut by the sender. */
export const MAX_REQUEST_TEXT_CHARS = 100_000;
const prompt = z.string().max(MAX_REQUEST_TEXT_CHARS);
const generated = z.string().min(1).max(1_000_000);
/** The most texts one `predict/classify` request carries. */
export const MAX_CLASSIFY_TEXTS = 1000;
const tokenProbability = z.object({ token: z.string(), prob: z.number() });
const csvColumn = z.object({
  /** Header name, or `column1..N` when the file has no header (or the header cell is blank). */
  name: z.string(),
  /** 0-based position in the file. */
  index: z.number().int(),
  kind: z.enum(['numeric', 'date', 'text']),
  /** Number of data cells that hold a finite number. */
  numericCount: z.number().int(),
  /** The first few data cells, trimmed, as written in the file. */
  preview: z.array(z.string()),
  /** True for the detected time column and for date-part columns; such columns are never a default target. */
  isTime: z.boolean(),
  /** True for the column the engine uses as target when none is given. */
  isDefaultTarget: z.boolean(),
});
/** A column of a CSV file as the engine reads it. */
export type CsvColumnInfo = z.infer<typeof csvColumn>;

/**
 * What the host can ask an engine process, each with the schema of its params and of its result. The host's
 * `request()` infers both types from here and checks every result on arrival; the engine checks the params.
 */
export const ENGINE_REQUESTS = {
  /** Sent by the host (hover, dashboard prompt box, "Predict next") to the prediction process: the top-k next tokens after a prompt. */
  'predict/next': {
    params: z.object({ runDir: z.string(), prompt, topK: z.number().int().min(1).max(200), target: z.string().max(1000).optional() }),
    result: z.object({
      topK: z.array(tokenProbability),
      /** Prompt tokens outside the vocabulary (read as unknown). */
      unknownTokens: z.number().int(),
      /** The probability of `target`, when one was asked about (null when it is not in the vocabulary). */
      targetProb: z.number().nullable().optional(),
    }),
  },
  /** Sent by the host (ghost text, dashboard Generate, "Generate text") to the prediction process: continue a prompt. */
  'predict/generate': {
    params: z.object({
      runDir: z.string(),
      prompt,
      length: generateOption('length'),
      temperature: generateOption('temperature'),
      topK: generateOption('topK'),
      topP: generateOption('topP').optional(),
      repetitionPenalty: generateOption('repetitionPenalty').optional(),
      stop: generateOption('stop').optional(),
      minLength: generateOption('minLength').optional(),
      seed: generateOption('seed'),
    }),
    result: z.object({ text: z.string(), unknownTokens: z.number().int() }),
  },
  /** Sent by the host (CSV lens and ghost rows, "Forecast") to the prediction process: forecast past the end of a CSV (the run's own data, or `file`). */
  'predict/forecast': {
    params: z.object({ runDir: z.string(), file: z.string().optional(), horizon: z.number().int().min(1).optional() }),
    result: z.object({
      target: z.string(),
      forecast: z.array(z.number()),
      time: z.array(z.number()).nullable(),
      /** Interval bounds per level in percent ("80"), aligned with `forecast`. */
      lower: z.record(z.string(), z.array(z.number())),
      upper: z.record(z.string(), z.array(z.number())),
      /** The forecast as CSV rows shaped like the file's last row (delimiter, quoting, time format, decimals), without line ends. */
      rows: z.array(z.string()),
    }),
  },
  /** Sent by the host ("Classify Selection", the CSV row hover, the dashboard's Try it box) to the prediction process: each text's class probabilities. */
  'predict/classify': {
    params: z.object({ runDir: z.string(), texts: z.array(z.string().max(MAX_REQUEST_TEXT_CHARS)).min(1).max(MAX_CLASSIFY_TEXTS) }),
    result: z.object({
      /** For each text, every label with its probability, most likely first. */
      results: z.array(z.object({ labels: z.array(z.object({ label: z.string(), prob: z.number() })), unknownTokens: z.number().int() })),
    }),
  },
  /** Sent by the host when "Train on File" reads a CSV/TSV (which column to forecast, or whether to classify): the columns as the engine reads them. */
  'data/columns': {
    params: z.object({ file: z.string() }),
    result: z.object({
      columns: z.array(csvColumn),
      /** The file read as labelled texts, when it looks like one: the detected columns and the number of classes. */
      classify: z.object({ textColumn: z.string(), labelColumn: z.string(), classes: z.number().int() }).nullable(),
    }),
  },
  /** Sent by the host when a training process ended without finishing its run: mark the run failed, keeping what it wrote. */
  'run/markFailed': {
    params: z.object({ runDir: z.string(), message: z.string() }),
    result: z.object({ marked: z.boolean() }),
  },
  /**
   * Sent by the host ("Show Activations", a unit chosen in the switcher, a hover's link or the dashboard, scrolling past
   * what was read or editing while they show, and the dashboard's heatmap of the units found) to the prediction process:
   * one layer's state after each token of a text, read as eval reads it.
   */
  'inspect/activations': {
    params: z.object({
      runDir: z.string(),
      text: prompt.min(1),
      layer: z.number().int().nonnegative().optional(),
      state: z.enum(INSPECT_STATES).optional(),
      /** Return the rows of only the tokens that overlap this span of `text` (the part the editor colours); default all. */
      rows: z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() }).optional(),
    }),
    result: packedActivationsSchema,
  },
  /** Sent by the host ("Show Surprisal", and editing or scrolling while it shows) to the prediction process: each token's bits, scored as eval scores the text. */
  'inspect/surprisal': {
    params: z.object({ runDir: z.string(), text: prompt.min(1), top: z.number().int().min(1).max(20).optional() }),
    result: surprisalResultSchema,
  },
  /** Sent by the host ("Find Units for Selection") to the prediction process: the units of a layer that best pick out a span of the text. */
  'inspect/units': {
    params: z.object({
      runDir: z.string(),
      text: prompt.min(1),
      span: z.object({ start: z.number().int().nonnegative(), end: z.number().int().positive() }),
      layer: z.number().int().nonnegative().optional(),
      state: z.enum(INSPECT_STATES).optional(),
      top: z.number().int().min(1).max(100).optional(),
    }),
    result: unitSearchResultSchema,
  },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
export type EngineMethod = keyof typeof ENGINE_REQUESTS;
export type EngineParams<M extends EngineMethod> = z.infer<(typeof ENGINE_REQUESTS)[M]['params']>;
export type EngineResult<M extends EngineMethod> = z.infer<(typeof ENGINE_REQUESTS)[M]['result']>;
export type NextTokenPrediction = EngineResult<'predict/next'>;
export type ForecastResult = EngineResult<'predict/forecast'>;
export type ClassifyResult = EngineResult<'predict/classify'>;

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
export type TrainStart = z.infer<typeof trainStartSchema>;

const request = z.object({
  type: z.literal('request'),
  id: requestId,
  method: z.enum(Object.keys(ENGINE_REQUESTS) as [EngineMethod, ...EngineMethod[]]),
  params: z.unknown(),
});

/** Messages from the extension host to an engine process. */
export const hostToEngineSchema = z.discriminatedUnion('type', [
  /** Sent by the host once, right after forking a training process: train this. */
  z.object({ type: z.literal('train/start'), request: trainStartSchema }),
  /** Sent by the host when the user stops a run; training ends between batches and keeps its best checkpoint. */
  z.object({ type: z.literal('train/cancel') }),
  /** Sent by the host to the prediction process for one of {@link ENGINE_REQUESTS}; answered by `reply` or `reply/error` with the same id. */
  request,
  /** Sent by the host when a run folder was deleted or retrained: drop cached models. */
  z.object({ type: z.literal('predict/forget'), runDir: z.string() }),
]);
export type HostToEngine = z.infer<typeof hostToEngineSchema>;
/** A request as sent, its params typed by its method. */
export type EngineRequest = { [M in EngineMethod]: { type: 'request'; id: number; method: M; params: EngineParams<M> } }[EngineMethod];

/**
 * A run record as messages carry it: its identity and status are checked; the engine that wrote the rest is trusted
 * to follow {@link RunRecord}.
 */
const runRecord = z.custom<RunRecord>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RunRecord).id === 'string' &&
    ['running', 'completed', 'cancelled', 'failed'].includes((value as RunRecord).status) &&
    typeof (value as RunRecord).config === 'object',
  'not a run record',
);

/** A throttled progress report from training. */
const trainProgress = z.object({
  runId: z.string(),
  step: z.number(),
  epoch: z.number(),
  /** The epoch limit; 0 when the time budget alone ends the run. */
  epochs: z.number(),
  /** Mean training loss since the previous report. */
  trainLoss: z.number(),
  /** The latest validation loss, if evaluated yet. */
  valLoss: z.number().nullable(),
  /** Tokens per second (text) or windows per second (series). */
  throughput: z.number(),
  throughputUnit: z.enum(['tokens/s', 'windows/s']),
  seconds: z.number(),
  /** Estimated seconds left, from the epochs at the recent speed or the time budget, whichever ends first. */
  etaSeconds: z.number().nullable(),
});
export type TrainProgress = z.infer<typeof trainProgress>;

/** Messages from an engine process to the extension host. */
export const engineToHostSchema = z.discriminatedUnion('type', [
  /** Sent by the engine when its process has started and listens for requests. */
  z.object({ type: z.literal('engine/ready') }),
  /** Sent by a training process once its run folder exists. */
  z.object({ type: z.literal('train/created'), runDir: z.string(), record: runRecord }),
  /** Sent by a training process at most every 250 ms and after each evaluation. */
  z.object({ type: z.literal('train/progress'), progress: trainProgress }),
  /** Sent by a training process for messages to show the user (backend, adjustments to fit the data, why it stopped). */
  z.object({ type: z.literal('train/note'), message: z.string() }),
  /** Sent by a training process when its run has ended (completed, cancelled, or failed with its metrics kept). */
  z.object({ type: z.literal('train/finished'), runDir: z.string(), record: runRecord }),
  /** Sent by a training process that could not start a run (bad data or options): `message` says what to fix. */
  z.object({ type: z.literal('train/error'), message: z.string(), usage: z.boolean() }),
  /** Sent by the prediction process in answer to a `request`; the host checks `result` with the method's schema. */
  z.object({ type: z.literal('reply'), id: requestId, result: z.unknown() }),
  /** Sent by the prediction process when a `request` failed; `message` is for the user. */
  z.object({ type: z.literal('reply/error'), id: requestId, message: z.string() }),
]);
export type EngineToHost = z.infer<typeof engineToHostSchema>;

/** Checks a message from an engine process; null when it does not match the protocol. */
export function parseEngineMessage(raw: unknown): EngineToHost | null {
  const parsed = engineToHostSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/**
 * A message that failed the protocol, for a log line: its JSON cut to `maxChars`, or what it is when it has no JSON
 * form (IPC's advanced serialization also carries undefined, BigInts and cycles, which JSON.stringify cannot write).
 */
export function describeEngineMessage(raw: unknown, maxChars = 200): string {
  try {
    const json = JSON.stringify(raw) as string | undefined;
    if (json !== undefined) return json.slice(0, maxChars);
  } catch {
    // A BigInt or a cycle: described below.
  }
  return `a value with no JSON form (${Object.prototype.toString.call(raw)})`;
}

// Gradient threads (engine only): the main thread shares each training batch with worker threads.

/** Text over a big vocabulary: the classes of a batch's sampled softmax. */
export interface SampledClasses {
  /** Distinct class ids [S], ascending. */
  ids: Int32Array;
  /** log π_c [S]: the log probability that class ids[s] is in a sample (0 for a class that always is). */
  logInclusion: Float32Array;
}

/** One training batch, row-major with `rows` examples, in arrays that can be posted to a worker thread. */
export interface TrainBatch {
  /** Examples: token windows (text) or series windows. */
  rows: number;
  /** Token ids [rows, seqLen] (text) or normalised windows [rows, lookback, features] (series). */
  inputs: Int32Array | Float32Array;
  /** The next token after each input token [rows, seqLen] (text), the next `horizon` values [rows, horizon] (series), or each row's class id [rows] (classify). */
  targets: Int32Array | Float32Array;
  /** Series: known future covariates [rows, futureSize], when the model takes them. */
  future?: Float32Array;
  /** Text, stateful: the recurrent state each row starts from (per layer h, then c for LSTM, each [rows, hidden]). */
  state?: Float32Array[];
  /** Text over a big vocabulary: the classes of the batch's sampled softmax (every shard uses the same). */
  classes?: SampledClasses;
  /** Classify: each row's length in tokens [rows]; `inputs` is [rows, T] padded after the text with 0, which no output read depends on. */
  lengths?: Int32Array;
  /** Classify with a prior: each row's prior log-probabilities [rows, classes], which the model's outputs are added to. */
  priors?: Float32Array;
}

/** What the loss of a batch depends on besides the model and the batch. */
export type LossSpec = { task: 'text' } | { task: 'series'; loss: 'mse' | 'mae' } | { task: 'classify'; classWeights: number[] | null };

/** What a gradient worker is started with. */
export interface GradientWorkerData {
  /** The architecture of the model being trained; each worker builds its own copy and receives the weights per step. */
  spec: ModelSpec;
  lossSpec: LossSpec;
  /** The main thread's backend, so that every shard is computed with the same kernels. */
  backend: 'tensorflow' | 'wasm' | 'cpu';
}

/** Messages from the main thread to a gradient worker. */
export type ToGradientWorker = {
  /** Sent by the main thread for every training step: the current weights (in model.variables order), a shard and its dropout seed. */
  type: 'gradient/compute';
  weights: Float32Array[];
  batch: TrainBatch;
  dropoutSeed: number;
};

/** Messages from a gradient worker to the main thread. */
export type FromGradientWorker =
  /** Sent by a worker once its backend and model copy are ready. */
  | { type: 'worker/ready' }
  /** Sent by a worker for each `gradient/compute`: the shard's mean loss, its gradients in model.variables order, and its rows' final state when the shard had a state. */
  | { type: 'gradient/result'; loss: number; grads: Float32Array[]; state?: Float32Array[] }
  /** Sent by a worker when starting or a `gradient/compute` failed. */
  | { type: 'worker/failed'; message: string };

// Webview.

/** The most runs the dashboard overlays at once. */
export const MAX_COMPARED_RUNS = 20;
/** The dashboard's prompt box asks for at most this many next tokens. */
export const MAX_DASHBOARD_TOP_K = 50;

/** Messages from the webview to the extension host. */
export const webviewToHostSchema = z.discriminatedUnion('type', [
  /** Sent by the webview when its script has loaded: the host answers with `dashboard/state`. */
  z.object({ type: z.literal('webview/ready') }),
  /** Sent by the webview when the user selects a run: the host answers with `run/metrics` and, for series, `run/forecast`. */
  z.object({ type: z.literal('run/select'), runId }),
  /** Sent by the webview when the user checks runs to overlay: the host answers with `run/metrics` for each. */
  z.object({ type: z.literal('run/compare'), runIds: z.array(runId).max(MAX_COMPARED_RUNS) }),
  /** Sent by the webview's prompt box: the host answers with `predict/result` or `request/error`. */
  z.object({ type: z.literal('predict/request'), requestId, runId, prompt: prompt.min(1), topK: z.number().int().min(1).max(MAX_DASHBOARD_TOP_K) }),
  /** Sent by the webview's Generate button: the host answers with `generate/result` or `request/error`. */
  z.object({
    type: z.literal('generate/request'),
    requestId,
    runId,
    prompt: prompt.min(1),
    length: generateOption('length'),
    temperature: generateOption('temperature'),
  }),
  /** Sent by the webview's Try it box of a classifier as the user types: the host answers with `classify/result` or `request/error`. */
  z.object({ type: z.literal('classify/request'), requestId, runId, text: prompt.min(1) }),
  /** Sent by the webview when the user clicks a misclassified row: the host opens the run's data file at that line. */
  z.object({ type: z.literal('row/reveal'), runId, line: z.number().int().min(1) }),
  /** Sent by the webview's Copy button under a generated text: the host puts the text on the clipboard. */
  z.object({ type: z.literal('generation/copy'), text: generated }),
  /** Sent by the webview's Insert at cursor button under a generated text: the host inserts it at the cursor of the last active text editor, or says that none is open. */
  z.object({ type: z.literal('generation/insert'), text: generated }),
  /** Sent by the webview's Stop button on a running run. */
  z.object({ type: z.literal('train/stop'), runId }),
  /** Sent by the webview's Continue training button on a finished run: the host resumes it for another default budget. */
  z.object({ type: z.literal('train/continue'), runId }),
  /** Sent by the webview when the user clicks a unit of the "Inside the model" card: the host colours the text editor used last by it. */
  z.object({
    type: z.literal('inside/showUnit'),
    layer: z.number().int().min(0).max(64),
    state: z.enum(INSPECT_STATES),
    unit: z.number().int().min(0).max(65_536),
  }),
]);
export type WebviewToHost = z.infer<typeof webviewToHostSchema>;

/** Messages from the extension host to the webview (trusted: the host builds them). */
export type HostToWebview =
  /** Sent by the host on `webview/ready` and whenever the runs change. */
  | { type: 'dashboard/state'; runs: RunListItem[]; selectedRunId: string | null }
  /**
   * Sent by the host with a run's metrics: all lines when `reset` (at most {@link MAX_CHART_POINTS} per kind, evenly
   * thinned for a long run), else lines appended since the last message.
   */
  | { type: 'run/metrics'; runId: string; lines: MetricsLine[]; reset: boolean }
  /** Sent by the host while a run trains (throttled by the engine). */
  | { type: 'run/progress'; progress: TrainProgress }
  /** Sent by the host after `run/select` on a finished series run. */
  | { type: 'run/forecast'; runId: string; chart: ForecastChart }
  /** Sent by the host in answer to `predict/request`. */
  | { type: 'predict/result'; requestId: number; runId: string; topK: { token: string; prob: number }[] }
  /** Sent by the host in answer to `classify/request`: every label with its probability, most likely first. */
  | { type: 'classify/result'; requestId: number; runId: string; labels: { label: string; prob: number }[] }
  /** Sent by the host in answer to `generate/request`. */
  | { type: 'generate/result'; requestId: number; runId: string; text: string }
  /** Sent by the host when a webview request failed; `message` is for the user. */
  | { type: 'request/error'; requestId: number; message: string }
  /** Sent by the host after "Find Units for Selection" while the dashboard is open: the units found for the selection, and the top ones' values on it. */
  | { type: 'inside/units'; runId: string; selection: string; result: UnitSearchResult; heatmap: InsideHeatmap | null };

/** The most tokens of a selection the dashboard's heatmap shows. */
export const MAX_HEATMAP_TOKENS = 160;

/** The "Inside the model" heatmap: units (rows) by the selection's tokens (columns). */
export interface InsideHeatmap {
  layer: number;
  state: InspectState;
  /** The selection's first tokens (at most {@link MAX_HEATMAP_TOKENS}), as the model read them. */
  tokens: string[];
  /** The units of the rows, in order. */
  units: number[];
  /** values[row][token]: the unit's value after the token. */
  values: number[][];
  /** buckets[row][token]: the editor's colour bucket of the value, −4…4 (0: none). */
  buckets: number[][];
  /** The selection's tokens left out after the first {@link MAX_HEATMAP_TOKENS}. */
  truncated: number;
}

/** The most training and validation points of one run the host sends the webview when it selects the run. */
export const MAX_CHART_POINTS = 5000;
