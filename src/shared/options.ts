// The one options table: every training and generation option with its doc, default, range or choices and the tasks it applies to; the types, defaults, validation, CLI flags and settings derive from it.

/** What a run learns: a next-token model of text, a forecaster of a CSV column, or a classifier of labelled texts. */
export type Task = 'text' | 'series' | 'classify';

/** Where an option appears besides the CLI: a `seqlab.training.*` setting offered first in Customize, one under "More…", or neither (per-run). */
export type OptionPlace = 'common' | 'more' | 'run';

interface OptionBase<V> {
  /** What the option does, for `--help`, the settings UI and Customize (Markdown allowed in backticks only). */
  doc: string;
  default: V;
  /** The tasks it applies to. */
  tasks: readonly Task[];
  place: OptionPlace;
}

/** A number in an inclusive range. */
export interface NumberOption extends OptionBase<number> {
  kind: 'number';
  min: number;
  max: number;
  integer: boolean;
}

/** One of a fixed list of words. */
export interface ChoiceOption<C extends string = string> extends OptionBase<C> {
  kind: 'choice';
  choices: readonly C[];
}

/** true or false. */
export interface BooleanOption extends OptionBase<boolean> {
  kind: 'boolean';
}

/** `auto`, or a whole number from `min`. */
export interface AutoIntOption extends OptionBase<number | 'auto'> {
  kind: 'autoInt';
  min: number;
}

/** A column by header name or 0-based index; `list` takes several, comma-separated. */
export interface ColumnOption<V> extends OptionBase<V> {
  kind: 'column' | 'columns';
}

/** A folder or file path. */
export interface PathOption extends OptionBase<string | undefined> {
  kind: 'path';
}

/** Percentages strictly between 0 and 100, each once. */
export interface LevelsOption extends OptionBase<number[]> {
  kind: 'levels';
}

export type AnyOption = NumberOption | ChoiceOption | BooleanOption | AutoIntOption | ColumnOption<unknown> | PathOption | LevelsOption;
type Meta = Pick<OptionBase<unknown>, 'doc' | 'tasks' | 'place'>;

const ALL: readonly Task[] = ['text', 'series', 'classify'];
const TEXT: readonly Task[] = ['text'];
const SERIES: readonly Task[] = ['series'];
const CLASSIFY: readonly Task[] = ['classify'];
/** Options of the models that read text: next-token models and classifiers. */
const TEXTS: readonly Task[] = ['text', 'classify'];

const int = (value: number, min: number, max: number, meta: Meta): NumberOption => ({ kind: 'number', default: value, min, max, integer: true, ...meta });
const real = (value: number, min: number, max: number, meta: Meta): NumberOption => ({ kind: 'number', default: value, min, max, integer: false, ...meta });
const choice = <const C extends string>(choices: readonly C[], value: NoInfer<C>, meta: Meta): ChoiceOption<C> => ({
  kind: 'choice',
  choices,
  default: value,
  ...meta,
});
const flag = (value: boolean, meta: Meta): BooleanOption => ({ kind: 'boolean', default: value, ...meta });

/** How a classifier pools the recurrent outputs of a text's tokens. */
export const POOL_MODES = ['last', 'mean', 'max'] as const;
export type PoolMode = (typeof POOL_MODES)[number];
/** The longest automatic `maxLen` of a classifier, in tokens. */
export const MAX_AUTO_LEN = 1024;

/** The recurrent cells: `rnn` is the textbook tanh RNN, `lstm` and `gru` follow PyTorch's gate math. */
export const CELLS = ['rnn', 'lstm', 'gru'] as const;
export type CellType = (typeof CELLS)[number];

/**
 * The automatic learning rate of text models. tinyshakespeare (train on the first 90%, bits/char on the last 10% with
 * the state carried), char LSTM-128, batch 32, 45 s, cosine decay: 2.970 at 0.002 (constant), 2.906 at 0.005, 2.767 at
 * 0.01, 2.650 at 0.02 (reset every 64: 2.728). GRU-128: 2.706 at 0.005, 2.656 at 0.01. Batch 16 at 0.005: 2.914 (half
 * the tokens per second); batch 64 at 0.01: 2.831.
 */
export const TEXT_LR = 0.02;
/**
 * The automatic learning rate of a text too short for stateful streams, where a high rate overfits before early stopping
 * can step in: a 700-character paragraph, LSTM-128, held-out bits/char 4.189 at 0.002, 4.222 at 0.005, 4.348 at 0.02
 * (the bigram: 4.327).
 */
export const SHORT_TEXT_LR = 0.002;
/**
 * The automatic learning rate of classifiers. Char LSTM-128, last-step pooling, 25 s, test macro-F1 averaged over seeds
 * 1 and 2 (each its own stratified split): SMS spam 0.915 at 0.002, 0.937 at 0.005, 0.935 at 0.01 (0.933 at 0.02, seed 1);
 * Amazon/Yelp review sentences 0.628, 0.637, 0.637 (0.610 at 0.02).
 */
export const CLASSIFY_LR = 0.005;
/** The automatic learning rate of series models (issue 9's measurements on Melbourne and Beijing PM2.5 were made at it). */
export const SERIES_LR = 0.002;
/** Epochs of a run with `epochs` 0 and no time budget. */
export const DEFAULT_EPOCHS = 10;
/**
 * The longest lookback chosen automatically (two seasons of daily data with a yearly season would be 730 steps). A
 * longer window costs steps in a time budget: hourly energy, 20 s, 24 steps ahead: test MAE 29.51 at lookback 48,
 * 29.40 at 96, 29.78 at 168 (too few steps to improve on its seasonal-naive base).
 */
export const MAX_AUTO_LOOKBACK = 96;
/** The shortest lookback chosen automatically, and the one used when no season is found. */
export const MIN_AUTO_LOOKBACK = 48;

/** Every training option, in the order `--help` and the settings list them. */
export const TRAIN_OPTIONS = {
  task: choice(['auto', 'text', 'series', 'classify'], 'auto', {
    doc: 'What to learn: `text` (next-token model), `series` (forecasting a CSV column) or `classify` (labelling the texts of a CSV/TSV); `auto` picks classify for a .csv/.tsv of texts with labels, series for another .csv/.tsv, and text otherwise.',
    tasks: ALL,
    place: 'run',
  }),
  column: {
    kind: 'column',
    default: undefined as string | number | undefined,
    doc: 'Series: the target column, by header name or 0-based index (default: the first numeric column that is not a date).',
    tasks: SERIES,
    place: 'run',
  } satisfies ColumnOption<string | number | undefined>,
  inputs: {
    kind: 'columns',
    default: [] as (string | number)[],
    doc: 'Series: extra input columns fed to the model beside the target, comma-separated names or indexes.',
    tasks: SERIES,
    place: 'run',
  } satisfies ColumnOption<(string | number)[]>,
  textColumn: {
    kind: 'column',
    default: undefined as string | number | undefined,
    doc: 'Classify: the column of texts, by header name or 0-based index (default: detected, the column of the longest strings).',
    tasks: CLASSIFY,
    place: 'run',
  } satisfies ColumnOption<string | number | undefined>,
  labelColumn: {
    kind: 'column',
    default: undefined as string | number | undefined,
    doc: 'Classify: the column of labels, by header name or 0-based index (default: detected, a column with few distinct values).',
    tasks: CLASSIFY,
    place: 'run',
  } satisfies ColumnOption<string | number | undefined>,
  initFrom: {
    kind: 'path',
    default: undefined as string | undefined,
    doc: "Classify: a text run folder whose embedding and recurrent layers the classifier starts from (language-model pretraining, ULMFiT's idea); its vocabulary, cell and sizes are used.",
    tasks: CLASSIFY,
    place: 'run',
  } satisfies PathOption,
  cell: choice(CELLS, 'lstm', {
    doc: "Recurrent cell: `rnn` is the textbook tanh RNN; `lstm` and `gru` use PyTorch's gate equations.",
    tasks: ALL,
    place: 'common',
  }),
  hidden: int(128, 1, 4096, { doc: 'Units in each recurrent layer.', tasks: ALL, place: 'common' }),
  layers: int(1, 1, 8, { doc: 'Stacked recurrent layers.', tasks: ALL, place: 'common' }),
  dropout: real(0, 0, 0.95, { doc: 'Dropout rate between layers and before the head, during training only.', tasks: ALL, place: 'more' }),
  embedding: int(32, 1, 4096, { doc: 'Text and classify: embedding width.', tasks: TEXTS, place: 'more' }),
  tokens: choice(['char', 'word'], 'char', {
    doc: 'Text tokens: single characters, or words (each with its leading space; punctuation as its own token).',
    tasks: TEXTS,
    place: 'common',
  }),
  maxVocab: int(20_000, 2, 1_000_000, {
    doc: 'Text and classify: the largest vocabulary kept; rarer tokens map to the unknown token.',
    tasks: TEXTS,
    place: 'more',
  }),
  seqLen: int(64, 1, 4096, {
    doc: 'Text: training sequence length, the truncation length of backprop through time (shrinks to fit a short text, and says so).',
    tasks: TEXT,
    place: 'common',
  }),
  stateful: flag(true, {
    doc: "Text: stateful truncated BPTT, as char-rnn trains: the text is cut into `batch` streams and each batch continues them from the previous batch's final state, and validation carries the state through the held-out text. Off: random windows, each from a zero state.",
    tasks: TEXT,
    place: 'more',
  }),
  pool: choice(POOL_MODES, 'last', {
    doc: 'Classify: what the head reads of a text: the recurrent output at its last token (`last`, the textbook pattern), or the mean or maximum over its tokens.',
    tasks: CLASSIFY,
    place: 'common',
  }),
  maxLen: int(0, 0, 100_000, {
    doc: `Classify: the most tokens of a text the model reads (longer texts are cut, and the run says how many); 0 = automatic: enough for 95% of the training texts, at most ${MAX_AUTO_LEN}.`,
    tasks: CLASSIFY,
    place: 'more',
  }),
  classWeights: choice(['none', 'auto'], 'none', {
    doc: "Classify: `auto` weighs each class's loss inversely to its share of the training rows, for imbalanced labels.",
    tasks: CLASSIFY,
    place: 'more',
  }),
  prior: choice(['naive-bayes', 'none'], 'naive-bayes', {
    doc: "Classify: `naive-bayes` adds the model's outputs to naive Bayes' log-probabilities (out of fold on the training rows, temperature-scaled), so that the network learns what a bag of words misses, as series models learn a correction to a baseline; `none`: the network alone.",
    tasks: CLASSIFY,
    place: 'more',
  }),
  lookback: int(0, 0, 10_000, {
    doc: `Series: past steps the model sees; 0 = two seasons of the detected season, from ${MIN_AUTO_LOOKBACK} to ${MAX_AUTO_LOOKBACK}.`,
    tasks: SERIES,
    place: 'common',
  }),
  horizon: int(12, 1, 10_000, { doc: 'Series: future steps predicted at once (direct multi-step).', tasks: SERIES, place: 'common' }),
  season: {
    kind: 'autoInt',
    min: 1,
    default: 'auto' as number | 'auto',
    doc: 'Series: seasonal period in steps for the seasonal-naive baseline; `auto` detects it by autocorrelation.',
    tasks: SERIES,
    place: 'more',
  } satisfies AutoIntOption,
  missing: choice(['interpolate', 'drop'], 'interpolate', { doc: 'Series: what to do with missing or non-numeric cells.', tasks: SERIES, place: 'more' }),
  loss: choice(['mse', 'mae'], 'mae', { doc: 'Series training loss: `mae` matches the headline metrics (MAE, MASE).', tasks: SERIES, place: 'more' }),
  residual: choice(['auto', 'none', 'naive', 'seasonal', 'ets'], 'auto', {
    doc: "Series: the model's head predicts the correction to this baseline's forecast (an untrained model forecasts the baseline); `auto` takes the baseline with the lowest validation MAE.",
    tasks: SERIES,
    place: 'more',
  }),
  calendar: choice(['auto', 'off'], 'auto', {
    doc: 'Series: sin/cos calendar features (hour of day, day of week, day or month of year, as the time step allows).',
    tasks: SERIES,
    place: 'more',
  }),
  guides: choice(['auto', 'off'], 'auto', {
    doc: "Series: give the head the statistical baselines' forecasts (ETS, and seasonal naive) for each forecast step.",
    tasks: SERIES,
    place: 'more',
  }),
  // Measured at 45 s: Beijing PM2.5 test MAE 44.59 with `last`, 45.22 without; Melbourne 2.087 with, 2.100 without.
  windowNorm: choice(['none', 'last'], 'last', {
    doc: "Series: `last` adds an input with the target's change since each window's last value.",
    tasks: SERIES,
    place: 'more',
  }),
  levels: {
    kind: 'levels',
    default: [80, 95],
    doc: 'Series: prediction-interval levels in percent, calibrated by split conformal prediction on validation residuals.',
    tasks: SERIES,
    place: 'more',
  } satisfies LevelsOption,
  batch: int(32, 1, 65_536, { doc: 'Sequences (text), windows (series) or texts (classify) per batch.', tasks: ALL, place: 'more' }),
  epochs: int(0, 0, 1_000_000, {
    doc: `Passes over the training data; 0 = ${DEFAULT_EPOCHS}, or as many as the time budget allows when one is set.`,
    tasks: ALL,
    place: 'more',
  }),
  maxSeconds: real(0, 0, 31_536_000, {
    doc: 'Time budget in seconds (0 = none). A run started in the editor with neither this nor `epochs` set trains for `seqlab.defaultTimeBudget`.',
    tasks: ALL,
    place: 'common',
  }),
  maxMemoryMb: int(4096, 64, 1_048_576, {
    doc: 'Refuse, before building it, a model whose training would need more memory than this many MB (estimated).',
    tasks: ALL,
    place: 'more',
  }),
  lr: real(0, 0, 10, {
    doc: `Adam learning rate, the peak of the schedule; 0 = automatic: ${TEXT_LR} for text (${SHORT_TEXT_LR} for a short one), ${SERIES_LR} for series, ${CLASSIFY_LR} for classify.`,
    tasks: ALL,
    place: 'more',
  }),
  // `auto` is cosine, measured better on both tasks: Melbourne 14 steps, 45 s: test MAE 2.063 against 2.101 constant; Beijing
  // PM2.5: 44.83 against 45.66; tinyshakespeare char LSTM-128 at 0.02, 45 s: 2.535 bits/char against 2.572 constant.
  lrSchedule: choice(['auto', 'constant', 'cosine', 'linear'], 'auto', {
    doc: 'Learning-rate decay after the warmup, to a tenth of the rate by the end of the epochs or the time budget; `auto` is cosine.',
    tasks: ALL,
    place: 'more',
  }),
  warmup: int(0, 0, 1e9, { doc: 'Steps of linear learning-rate warmup (0 = none).', tasks: ALL, place: 'more' }),
  clip: real(5, 0, 1e6, { doc: 'Global gradient-norm clipping threshold (0 = off).', tasks: ALL, place: 'more' }),
  val: real(0.1, 0.01, 0.5, {
    doc: 'Fraction held out for validation (the end of the text; the part of a series before its test part).',
    tasks: ALL,
    place: 'more',
  }),
  test: real(0.1, 0.01, 0.5, {
    doc: 'Series and classify: fraction held out for the final test (the end of a series; a stratified share of labelled rows).',
    tasks: [...SERIES, ...CLASSIFY],
    place: 'more',
  }),
  seed: int(1, 0, 2 ** 31 - 1, {
    doc: 'Seed for initialisation, batch order and dropout: the same seed and backend give the same loss curve.',
    tasks: ALL,
    place: 'more',
  }),
  backend: choice(['auto', 'tensorflow', 'wasm', 'cpu'], 'auto', {
    doc: 'Compute backend: `auto` tries tensorflow (tfjs-node, optional), then wasm, then cpu.',
    tasks: ALL,
    place: 'more',
  }),
  threads: int(0, 0, 64, {
    doc: 'Threads sharing each training batch (0 = one per core when the step is big enough, on wasm and cpu).',
    tasks: ALL,
    place: 'more',
  }),
  patience: int(5, 0, 1_000_000, {
    doc: 'Early stopping: evaluations without a validation improvement before stopping (0 = off).',
    tasks: ALL,
    place: 'more',
  }),
  evalEvery: int(0, 0, 1e9, {
    doc: 'Steps between validation evaluations (0 = once per epoch, at least every 250 steps, spaced to take at most a tenth of the time).',
    tasks: ALL,
    place: 'more',
  }),
  maxEvalItems: int(8192, 1, 1e9, {
    doc: 'Most validation tokens (text), windows (series) or rows (classify) scored per evaluation during training.',
    tasks: ALL,
    place: 'more',
  }),
  maxOrigins: int(2000, 1, 1e9, { doc: 'Series: most rolling origins in the final test evaluation (evenly strided).', tasks: SERIES, place: 'more' }),
} as const satisfies Record<string, AnyOption>;

/** How many recent tokens (the prompt's, then the generated ones) the repetition penalty looks back over. */
export const REPETITION_WINDOW = 32;

/** The generation options of `seqlab generate`, the dashboard and the editor's ghost text. */
export const GENERATE_OPTIONS = {
  length: int(200, 1, 10_000, { doc: 'Tokens to generate.', tasks: TEXT, place: 'run' }),
  temperature: real(0.8, 0, 5, { doc: 'Sampling temperature (0 = greedy).', tasks: TEXT, place: 'run' }),
  topK: int(0, 0, 1000, { doc: 'Sample among the k most likely tokens (0 = all).', tasks: TEXT, place: 'run' }),
  topP: real(1, 0, 1, { doc: 'Sample among the most likely tokens that make up probability p (1 = all, 0 = greedy).', tasks: TEXT, place: 'run' }),
  repetitionPenalty: real(1, 1, 10, { doc: `Penalise the words of the last ${REPETITION_WINDOW} tokens by this factor (1 = off).`, tasks: TEXT, place: 'run' }),
  stop: choice(['none', 'word', 'line'], 'none', { doc: 'End at the first word boundary or line end after `minLength` tokens.', tasks: TEXT, place: 'run' }),
  minLength: int(1, 0, 10_000, { doc: 'With `stop`: tokens to generate before a boundary can end the text.', tasks: TEXT, place: 'run' }),
  seed: int(1, 0, 2 ** 31 - 1, { doc: 'Random seed of the sampling.', tasks: TEXT, place: 'run' }),
} as const satisfies Record<string, AnyOption>;

/** The value type an option holds. */
export type OptionValue<O> = O extends OptionBase<infer V> ? V : never;
type Values<T extends Record<string, AnyOption>> = { -readonly [K in keyof T]: OptionValue<T[K]> };

/** Everything that shapes one training run; {@link TRAIN_OPTIONS} documents each field. */
export type TrainArgs = Values<typeof TRAIN_OPTIONS>;
export type TrainOptionName = keyof TrainArgs;
/** Options of one generation. */
export type GenerateArgs = Values<typeof GENERATE_OPTIONS>;
export type TokenKind = TrainArgs['tokens'];
export type BackendChoice = TrainArgs['backend'];
export type SeriesLoss = TrainArgs['loss'];
export type MissingPolicy = TrainArgs['missing'];
/** What a series model's head predicts the correction to: a baseline forecast, or nothing (`auto` picks by validation error). */
export type ResidualBase = TrainArgs['residual'];
export type CalendarChoice = TrainArgs['calendar'];
export type LrSchedule = TrainArgs['lrSchedule'];
export type StopMode = GenerateArgs['stop'];

/** The defaults of a table of options. */
function defaultsOf<T extends Record<string, AnyOption>>(table: T): Values<T> {
  return Object.fromEntries(Object.entries(table).map(([key, option]) => [key, option.default])) as Values<T>;
}

/** The defaults: the CLI, the extension's settings and the engine process all start from these. */
export const DEFAULTS: TrainArgs = defaultsOf(TRAIN_OPTIONS);
export const GENERATE_DEFAULTS: GenerateArgs = defaultsOf(GENERATE_OPTIONS);

/** A bad option or input: its message says what was wrong and how to fix it (the CLI prints it as one line). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The CLI spelling of an option, for messages: `seqLen` → `--seq-len`. */
export function flagName(key: string): string {
  return '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** Why `value` is not valid for `option` (completing "`--flag` must be …"), or null when it is. */
export function optionProblem(option: AnyOption, value: unknown): string | null {
  const shown = JSON.stringify(value);
  switch (option.kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= option.min && value <= option.max && (!option.integer || Number.isInteger(value))
        ? null
        : `${option.integer ? 'a whole number' : 'a number'} from ${option.min} to ${option.max}, not ${shown}`;
    case 'choice':
      return typeof value === 'string' && option.choices.includes(value) ? null : `one of ${option.choices.join(', ')}, not ${shown}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `true or false, not ${shown}`;
    case 'autoInt':
      return value === 'auto' || (typeof value === 'number' && Number.isInteger(value) && value >= option.min)
        ? null
        : `"auto" or a whole number from ${option.min}, not ${shown}`;
    case 'column':
      return value === undefined || typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value) && value >= 0)
        ? null
        : `a column name or 0-based index, not ${shown}`;
    case 'columns':
      return Array.isArray(value) && value.every((v) => optionProblem({ ...option, kind: 'column' }, v) === null)
        ? null
        : `a list of column names or indexes, not ${shown}`;
    case 'path':
      return value === undefined || (typeof value === 'string' && value.length > 0) ? null : `a path, not ${shown}`;
    case 'levels':
      return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number') ? null : `a list of percentages, e.g. 80,95, not ${shown}`;
  }
}

/** Merges options over the defaults and checks every value, throwing a {@link UsageError} that names the flag. */
export function resolveTrainArgs(partial: Partial<TrainArgs>): TrainArgs {
  const known = Object.entries(partial).filter(([key, value]) => key in TRAIN_OPTIONS && value !== undefined);
  const args: TrainArgs = { ...DEFAULTS, ...Object.fromEntries(known) };
  for (const [key, option] of Object.entries(TRAIN_OPTIONS) as [TrainOptionName, AnyOption][]) {
    const problem = optionProblem(option, args[key]);
    if (problem) throw new UsageError(`${flagName(key)} must be ${problem}.`);
  }
  checkLevels(args.levels);
  if (args.val + args.test >= 0.8) {
    throw new UsageError(`--val plus --test is ${args.val + args.test}: keep it under 0.8 so that there is data left to train on.`);
  }
  return args;
}

/** Checks generation options over {@link GENERATE_DEFAULTS}, throwing a {@link UsageError} that names the flag. */
export function resolveGenerateArgs(partial: Partial<GenerateArgs>): GenerateArgs {
  const known = Object.entries(partial).filter(([key, value]) => key in GENERATE_OPTIONS && value !== undefined);
  const args: GenerateArgs = { ...GENERATE_DEFAULTS, ...Object.fromEntries(known) };
  for (const [key, option] of Object.entries(GENERATE_OPTIONS) as [keyof GenerateArgs, AnyOption][]) {
    const problem = optionProblem(option, args[key]);
    if (problem) throw new UsageError(`${flagName(key)} must be ${problem}.`);
  }
  if (args.minLength > args.length) throw new UsageError(`--min-length must be at most the --length (${args.length}), not ${args.minLength}.`);
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

/** The epochs a run trains for at most: `epochs`, or when 0, unbounded with a time budget (it ends the run) and {@link DEFAULT_EPOCHS} without. */
export function epochLimit(args: Pick<TrainArgs, 'epochs' | 'maxSeconds'>): number {
  return args.epochs > 0 ? args.epochs : args.maxSeconds > 0 ? Infinity : DEFAULT_EPOCHS;
}

/** File extensions trained as CSV time series (forecasting) when the task is `auto`; anything else is text. */
const SERIES_EXTENSIONS = new Set(['.csv', '.tsv']);

/** Whether a data file is a CSV time series by its extension. */
export function isSeriesFile(file: string): boolean {
  const dot = file.lastIndexOf('.');
  return dot > Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1 && SERIES_EXTENSIONS.has(file.slice(dot).toLowerCase());
}

/** The options with a `seqlab.training.*` setting that apply to `task`, the common ones first. */
export function customizableOptions(task: Task): TrainOptionName[] {
  const names = (Object.keys(TRAIN_OPTIONS) as TrainOptionName[]).filter(
    (name) => TRAIN_OPTIONS[name].place !== 'run' && TRAIN_OPTIONS[name].tasks.includes(task),
  );
  return [...names.filter((name) => TRAIN_OPTIONS[name].place === 'common'), ...names.filter((name) => TRAIN_OPTIONS[name].place === 'more')];
}

/** The VS Code setting of a training option. */
export function settingKey(name: TrainOptionName): string {
  return `seqlab.training.${name}`;
}

/** The JSON schema of an option's setting, as package.json contributes it (descriptions come from package.nls.json). */
export function settingSchema(name: TrainOptionName): Record<string, unknown> {
  const option: AnyOption = TRAIN_OPTIONS[name];
  const description = `%${settingKey(name).replace('seqlab.', 'seqlab.config.')}%`;
  switch (option.kind) {
    case 'number':
      return {
        type: option.integer ? 'integer' : 'number',
        minimum: option.min,
        maximum: option.max,
        default: option.default,
        markdownDescription: description,
      };
    case 'choice':
      return { type: 'string', enum: [...option.choices], default: option.default, markdownDescription: description };
    case 'boolean':
      return { type: 'boolean', default: option.default, markdownDescription: description };
    case 'autoInt':
      return { type: ['string', 'integer'], pattern: '^auto$', minimum: option.min, default: option.default, markdownDescription: description };
    case 'levels':
      return {
        type: 'array',
        items: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 100 },
        minItems: 1,
        uniqueItems: true,
        default: option.default,
        markdownDescription: description,
      };
    case 'column':
    case 'columns':
    case 'path':
      throw new Error(`${name} is per run and has no setting`);
  }
}
