// The one place where training options and their defaults live, each field documented.
import type { CellType } from './nn/recurrent';

export type Task = 'text' | 'series';
export type TokenKind = 'char' | 'word';
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export type SeriesLoss = 'mse' | 'mae';
export type MissingPolicy = 'interpolate' | 'drop';
/** What a series model's head predicts the correction to: a baseline forecast, or nothing (`auto` picks by validation error). */
export type ResidualBase = 'auto' | 'none' | 'naive' | 'seasonal' | 'ets';
export type CalendarChoice = 'auto' | 'off';
export type LrSchedule = 'auto' | 'constant' | 'cosine' | 'linear';

/** Everything that shapes one training run. Every field has a default in {@link DEFAULTS}. */
export interface TrainArgs {
  /** `text` (next-token model) or `series` (forecasting); `auto` picks series for .csv/.tsv files. */
  task: Task | 'auto';
  /** Recurrent cell: `rnn` is the textbook tanh RNN. */
  cell: CellType;
  /** Units in each recurrent layer. */
  hidden: number;
  /** Stacked recurrent layers. */
  layers: number;
  /** Dropout rate between layers and before the head, during training only. */
  dropout: number;
  /** Embedding width for text models. */
  embedding: number;
  /** Text tokens: single characters, or words (with whitespace and punctuation as their own tokens). */
  tokens: TokenKind;
  /** Largest vocabulary kept; rarer tokens map to the unknown token. */
  maxVocab: number;
  /** Training sequence length for text (shrinks to fit a short text, and says so): the truncation length of backprop through time. */
  seqLen: number;
  /**
   * Text: stateful truncated BPTT, as char-rnn and torch-rnn train. The training text is cut into `batch` contiguous
   * streams; each batch continues them from the previous batch's final state (detached), so the model learns
   * dependencies longer than `seqLen` and no step is spent warming up from zeros. Validation then scores the held-out
   * text as one stream with the state carried. Off: random windows, each from a zero state, scored the same way.
   */
  stateful: boolean;
  /** Series: past steps the model sees (L); 0 = automatic: two seasons of the detected season, at least 48 and at most {@link MAX_AUTO_LOOKBACK}. */
  lookback: number;
  /** Series: future steps it predicts at once (H, direct multi-step). */
  horizon: number;
  /** Series: seasonal period for the seasonal-naive baseline; `auto` detects it by autocorrelation. */
  season: number | 'auto';
  /** Series: the target column, by header name or 0-based index; default is the first numeric non-date column. */
  column?: string | number;
  /** Series: extra input columns fed to the model beside the target. */
  inputs: (string | number)[];
  /** Series: what to do with missing or non-numeric cells. */
  missing: MissingPolicy;
  /** Series training loss: `mae` matches the headline metric (MAE, MASE). */
  loss: SeriesLoss;
  /**
   * Series: the head predicts the correction to this baseline's forecast (an untrained model forecasts exactly the
   * baseline); `auto` takes the baseline with the lowest validation MAE among naive, seasonal naive and ETS.
   */
  residual: ResidualBase;
  /** Series: give the head the statistical baselines' forecasts (ETS, and seasonal naive beyond the lookback) for each forecast step. */
  guides: CalendarChoice;
  /**
   * Series: `last` adds an input channel with the target's change since each window's last value (RevIN's per-window
   * level, kept beside the level itself). Measured at 45 s: Beijing PM2.5 test MAE 44.59 with it, 45.22 without;
   * Melbourne 2.087 with, 2.100 without.
   */
  windowNorm: 'none' | 'last';
  /** Series: sin/cos calendar features (hour of day, day of week, day or month of year, as the time step allows) for the lookback and for each forecast step. */
  calendar: CalendarChoice;
  /** Series: central prediction-interval levels in percent, calibrated by split conformal prediction on the validation residuals. */
  levels: number[];
  /** Sequences (text) or windows (series) per batch. */
  batch: number;
  /** Passes over the training split (0 = {@link DEFAULT_EPOCHS}, or as many as `maxSeconds` allows when it is set); training also stops at `maxSeconds` or on early stopping. */
  epochs: number;
  /** Time budget in seconds (0 = none). */
  maxSeconds: number;
  /** Largest estimated training memory in MB (weights, gradients, Adam moments, activations, data); a bigger model is refused before it is built. */
  maxMemoryMb: number;
  /** Adam learning rate (the peak of the schedule); 0 = automatic: {@link TEXT_LR} for text ({@link SHORT_TEXT_LR} for a short one), {@link SERIES_LR} for series. */
  lr: number;
  /**
   * Learning-rate schedule after the warmup: constant, or a cosine or linear decay to a tenth of `lr` that ends with the
   * epochs or the time budget, whichever comes first. `auto` is the cosine decay, measured better on both tasks: series
   * (Melbourne 14 steps, 45 s: test MAE 2.063 against 2.101 constant; Beijing PM2.5 24 steps: 44.83 against 45.66) and
   * text (tinyshakespeare, char LSTM-128 at lr 0.02, 45 s: held-out 2.535 bits/char against 2.572 constant).
   */
  lrSchedule: LrSchedule;
  /** Steps of linear learning-rate warmup from 0 to `lr` (0 = none). */
  warmup: number;
  /** Global gradient-norm clipping threshold (0 = off). */
  clip: number;
  /** Fraction of the data held out for validation (the end of the text; the series before the test part). */
  val: number;
  /** Series: fraction held out for the final test (the end of the series). */
  test: number;
  /** Seed for initialisation, batch order and dropout: same seed and backend, same loss curve. */
  seed: number;
  /** Compute backend: `auto` tries tensorflow (tfjs-node), then wasm, then cpu. */
  backend: BackendChoice;
  /** Threads that share each training batch, each computing the gradients of a slice of its rows (0 = one per core when the step is big enough, on wasm and cpu). */
  threads: number;
  /** Early stopping: evaluations without a validation improvement before stopping (0 = off). */
  patience: number;
  /** Steps between validation evaluations (0 = once per epoch, at least every 250 steps, and spaced so that evaluations take at most {@link EVAL_SHARE} of the time). */
  evalEvery: number;
  /** Most validation tokens or windows used per evaluation during training (bounded cost on big data; series use at most {@link SERIES_VALIDATION_STEPS} time steps). */
  maxEvalItems: number;
  /** Series: most rolling origins in the final test evaluation (evenly strided). */
  maxOrigins: number;
}

/** The defaults: the CLI, the extension's settings and the engine process all start from these. */
export const DEFAULTS: TrainArgs = {
  task: 'auto',
  cell: 'lstm',
  hidden: 128,
  layers: 1,
  dropout: 0,
  embedding: 32,
  tokens: 'char',
  maxVocab: 20000,
  seqLen: 64,
  stateful: true,
  lookback: 0,
  horizon: 12,
  season: 'auto',
  inputs: [],
  missing: 'interpolate',
  loss: 'mae',
  residual: 'auto',
  calendar: 'auto',
  guides: 'auto',
  windowNorm: 'last',
  levels: [80, 95],
  batch: 32,
  epochs: 0,
  maxSeconds: 0,
  maxMemoryMb: 4096,
  lr: 0,
  lrSchedule: 'auto',
  warmup: 0,
  clip: 5,
  val: 0.1,
  test: 0.1,
  seed: 1,
  backend: 'auto',
  threads: 0,
  patience: 5,
  evalEvery: 0,
  maxEvalItems: 8192,
  maxOrigins: 2000,
};

/**
 * The automatic learning rate of text models. tinyshakespeare (train on the first 90%, bits/char on the last 10% with
 * the state carried), char LSTM-128, batch 32, 45 s, cosine decay: 2.970 at 0.002 (constant), 2.906 at 0.005, 2.767 at
 * 0.01, 2.650 at 0.02 (reset every 64: 2.728). GRU-128: 2.706 at 0.005, 2.656 at 0.01. Batch 16 at 0.005: 2.914 (half
 * the tokens per second); batch 64 at 0.01: 2.831.
 */
export const TEXT_LR = 0.02;
/**
 * The automatic learning rate of a text too short for stateful streams (under {@link MIN_STREAM_BATCHES} batches), where
 * a high rate overfits before early stopping can step in: a 700-character paragraph, LSTM-128, held-out bits/char 4.189
 * at 0.002, 4.222 at 0.005, 4.348 at 0.02 (the bigram: 4.327).
 */
export const SHORT_TEXT_LR = 0.002;
/** The automatic learning rate of series models (issue 9's measurements on Melbourne and Beijing PM2.5 were made at it). */
export const SERIES_LR = 0.002;

/** Epochs of a run with `epochs` 0 and no time budget. */
export const DEFAULT_EPOCHS = 10;

/** The epochs a run trains for at most: `epochs`, or when 0, unbounded with a time budget (it ends the run) and {@link DEFAULT_EPOCHS} without. */
export function epochLimit(args: Pick<TrainArgs, 'epochs' | 'maxSeconds'>): number {
  return args.epochs > 0 ? args.epochs : args.maxSeconds > 0 ? Infinity : DEFAULT_EPOCHS;
}

/** Progress events are sent at most this often (ms), besides evaluations and the end. */
export const PROGRESS_INTERVAL_MS = 250;
/** Every epoch has at least this many batches, so that a tiny text like "hello" or a short series still gets enough updates. */
export const MIN_STEPS_PER_EPOCH = 20;
/** Stateful text training needs streams of at least this many batches; a shorter text trains on random windows. */
export const MIN_STREAM_BATCHES = 4;
/** Evaluations and checkpoints take at most about this share of a run: a due evaluation waits until training has had nine times the last one's cost. */
export const EVAL_SHARE = 0.1;
/**
 * Series: most validation time steps (windows × lookback) per evaluation during training, strided over the split (the
 * final calibration uses every window). 64k steps keep the step-0 evaluation, which a short budget also pays for, near
 * a second: 1024 windows at lookback 64, 390 at 168 (hourly energy at lookback 168: 1024 windows took 3 s of a 10 s budget).
 */
export const SERIES_VALIDATION_STEPS = 65_536;
/** Validation runs at least this often (seconds), so that slow runs still show a validation curve. */
export const EVAL_INTERVAL_SECONDS = 30;
/**
 * The longest lookback chosen automatically (two seasons of daily data with a yearly season would be 730 steps). A
 * longer window costs steps in a time budget: hourly energy, 20 s, 24 steps ahead: test MAE 29.51 at lookback 48,
 * 29.40 at 96, 29.78 at 168 (too few steps to improve on its seasonal-naive base).
 */
export const MAX_AUTO_LOOKBACK = 96;
/** The shortest lookback chosen automatically, and the one used when no season is found. */
export const MIN_AUTO_LOOKBACK = 48;
/** A decaying learning-rate schedule ends at this fraction of `lr` (nanoGPT's min_lr = lr/10). */
export const LR_FLOOR = 0.1;
/** A training loss above this multiple of the first one (or of {@link DIVERGENCE_LOSS_FLOOR}, if larger) counts as divergence. */
export const DIVERGENCE_FACTOR = 100;
/**
 * The smallest first loss that divergence is measured against: a residual series model can start near 0 (its base
 * forecast is exact on a periodic series), and 100 times that would flag ordinary noise. 0.1 in z-units, or nats.
 */
export const DIVERGENCE_LOSS_FLOOR = 0.1;

/** File extensions trained as CSV time series (forecasting) when the task is `auto`; anything else is text. */
const SERIES_EXTENSIONS = new Set(['.csv', '.tsv']);

/** Whether a data file is a CSV time series by its extension (string-only: this file is also type-checked for the webview). */
export function isSeriesFile(file: string): boolean {
  const dot = file.lastIndexOf('.');
  return dot > Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1 && SERIES_EXTENSIONS.has(file.slice(dot).toLowerCase());
}

/** A bad option or input: its message says what was wrong and how to fix it (the CLI prints it as one line). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Inclusive numeric ranges accepted for each numeric option. */
const RANGES: Partial<Record<keyof TrainArgs, [min: number, max: number, integer: boolean]>> = {
  hidden: [1, 4096, true],
  layers: [1, 8, true],
  dropout: [0, 0.95, false],
  embedding: [1, 4096, true],
  maxVocab: [2, 1_000_000, true],
  seqLen: [1, 4096, true],
  lookback: [0, 10_000, true],
  horizon: [1, 10_000, true],
  batch: [1, 65_536, true],
  epochs: [0, 1_000_000, true],
  maxSeconds: [0, 31_536_000, false],
  maxMemoryMb: [64, 1_048_576, true],
  lr: [0, 10, false],
  warmup: [0, 1e9, true],
  clip: [0, 1e6, false],
  val: [0.01, 0.5, false],
  test: [0.01, 0.5, false],
  seed: [0, 2 ** 31 - 1, true],
  threads: [0, 64, true],
  patience: [0, 1_000_000, true],
  evalEvery: [0, 1e9, true],
  maxEvalItems: [1, 1e9, true],
  maxOrigins: [1, 1e9, true],
};

const CHOICES: Partial<Record<keyof TrainArgs, readonly string[]>> = {
  task: ['auto', 'text', 'series'],
  cell: ['rnn', 'lstm', 'gru'],
  tokens: ['char', 'word'],
  backend: ['auto', 'tensorflow', 'wasm', 'cpu'],
  loss: ['mse', 'mae'],
  missing: ['interpolate', 'drop'],
  residual: ['auto', 'none', 'naive', 'seasonal', 'ets'],
  calendar: ['auto', 'off'],
  guides: ['auto', 'off'],
  windowNorm: ['none', 'last'],
  lrSchedule: ['auto', 'constant', 'cosine', 'linear'],
};

/** The CLI spelling of an option, for messages: `seqLen` → `--seq-len`. */
export function flagName(key: string): string {
  return '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** Merges options over the defaults and checks every value, throwing a {@link UsageError} that names the flag. */
export function resolveTrainArgs(partial: Partial<TrainArgs>): TrainArgs {
  const args: TrainArgs = { ...DEFAULTS, ...knownOnly(partial) };
  for (const [key, [min, max, integer]] of Object.entries(RANGES) as [keyof TrainArgs, [number, number, boolean]][]) {
    const value = args[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      throw new UsageError(`${flagName(key)} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not ${JSON.stringify(value)}.`);
    }
  }
  for (const [key, choices] of Object.entries(CHOICES) as [keyof TrainArgs, readonly string[]][]) {
    if (!choices.includes(String(args[key]))) {
      throw new UsageError(`${flagName(key)} must be one of ${choices.join(', ')}, not ${JSON.stringify(args[key])}.`);
    }
  }
  if (args.season !== 'auto' && !(Number.isInteger(args.season) && args.season >= 1)) {
    throw new UsageError(`--season must be "auto" or a whole number of steps (1 or more), not ${JSON.stringify(args.season)}.`);
  }
  if (!Array.isArray(args.levels) || args.levels.length === 0 || args.levels.some((level) => typeof level !== 'number')) {
    throw new UsageError(`--levels must be a list of percentages, e.g. 80,95, not ${JSON.stringify(args.levels)}.`);
  }
  checkLevels(args.levels);
  if (args.val + args.test >= 0.8) {
    throw new UsageError(`--val plus --test is ${args.val + args.test}: keep it under 0.8 so that there is data left to train on.`);
  }
  return args;
}

/**
 * Refuses interval levels outside (0, 100) or given twice, naming each level as written (`shown`, default the number).
 * @throws UsageError with a one-line message.
 */
export function checkLevels(levels: number[], shown: string[] = levels.map(String)): void {
  levels.forEach((level, i) => {
    if (!(level > 0 && level < 100))
      throw new UsageError(`Interval level ${shown[i]} is outside the range: each level must be a percentage strictly between 0 and 100.`);
    if (levels.indexOf(level) < i) throw new UsageError(`Interval level ${shown[i]} is given twice: list each level once.`);
  });
}

/** The training options among `partial` (other keys, such as CLI-only flags, and undefined values are left out). */
function knownOnly(partial: Partial<TrainArgs>): Partial<TrainArgs> {
  const known = new Set<string>([...Object.keys(DEFAULTS), 'column']);
  return Object.fromEntries(Object.entries(partial).filter(([key, value]) => known.has(key) && value !== undefined));
}
