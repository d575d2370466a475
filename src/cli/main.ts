// The seqlab command line: train, predict, generate, forecast, eval and list runs, with --json for tools.
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULTS, SERIES_LR, SHORT_TEXT_LR, TEXT_LR, type TrainArgs } from '../engine/config';
import { parseLevels } from '../engine/eval/intervals';
import { train } from '../engine/train';
import { evaluateRun, forecastNext, generateText, loadRun, predictNext } from '../engine/predict';
import { defaultRunsDir, listRuns } from '../engine/runStore';
import { checkGenerateArgs, GENERATE_DEFAULTS, REPETITION_WINDOW, STOP_MODES, type GenerateArgs } from '../engine/sampling';
import type { RunSummary, TrainProgress } from '../shared/protocol';
import { formatSummary, ProgressPrinter } from './output';

/** A numeric option parser whose error names what was wrong. */
function number(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw new InvalidArgumentError(`"${value}" is not a number.`);
  return parsed;
}

/** `--stateful true|false`. */
function boolean(value: string): boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  throw new InvalidArgumentError(`"${value}" is not true or false.`);
}

/** `--season auto|N`. */
function season(value: string): number | 'auto' {
  return value === 'auto' ? 'auto' : number(value);
}

/** `--column NAME|INDEX`: digits mean an index. */
function column(value: string): string | number {
  return /^\d+$/.test(value) ? Number(value) : value;
}

function print(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(json ? JSON.stringify(value) + '\n' : text() + '\n');
}

const program = new Command('seqlab').description('Train RNN, LSTM and GRU models on text and CSV time series, and predict with them.').configureOutput({
  outputError: (message, write) =>
    write(
      `seqlab: ${message
        .trim()
        .split('\n')[0]
        .replace(/^error: /, '')} (see --help)\n`,
    ),
});

const d = DEFAULTS;
program
  .command('train')
  .description('Train a model on a text or CSV file (- for stdin), or on --text.')
  .argument('[file]', 'data file: text for next-token models, .csv/.tsv for forecasting; - reads stdin')
  .option('--text <literal>', 'train on this text instead of a file')
  .addOption(new Option('--task <task>', 'what to learn').choices(['auto', 'text', 'series']).default(d.task))
  .option('--column <name|index>', 'series: target column', column)
  .option('--inputs <a,b>', 'series: extra input columns, comma-separated', (v) => v.split(',').map((s) => column(s.trim())))
  .addOption(new Option('--cell <cell>', 'recurrent cell').choices(['rnn', 'lstm', 'gru']).default(d.cell))
  .option('--hidden <n>', 'units per recurrent layer', number, d.hidden)
  .option('--layers <n>', 'stacked recurrent layers', number, d.layers)
  .option('--dropout <rate>', 'dropout between layers', number, d.dropout)
  .option('--embedding <n>', 'text: embedding width', number, d.embedding)
  .addOption(new Option('--tokens <kind>', 'text: token kind').choices(['char', 'word']).default(d.tokens))
  .option('--seq-len <n>', 'text: training sequence length', number, d.seqLen)
  .option('--stateful <bool>', "text: each batch continues the last one's streams and state (char-rnn's truncated BPTT)", boolean, d.stateful)
  .option('--lookback <n>', 'series: past steps seen (0 = two seasons, 48 to 168)', number, d.lookback)
  .option('--horizon <n>', 'series: future steps predicted', number, d.horizon)
  .option('--season <auto|n>', 'series: season for the seasonal-naive baseline', season, d.season)
  .addOption(new Option('--loss <loss>', 'series: training loss').choices(['mse', 'mae']).default(d.loss))
  .addOption(
    new Option('--residual <base>', 'series: baseline whose forecast the model corrects (auto = best on validation)')
      .choices(['auto', 'none', 'naive', 'seasonal', 'ets'])
      .default(d.residual),
  )
  .addOption(new Option('--calendar <mode>', 'series: calendar features from the time axis').choices(['auto', 'off']).default(d.calendar))
  .addOption(
    new Option('--window-norm <mode>', "series: also feed the target's change since each window's last value").choices(['last', 'none']).default(d.windowNorm),
  )
  .addOption(new Option('--guides <mode>', 'series: feed the ETS (and seasonal-naive) forecasts to the model').choices(['auto', 'off']).default(d.guides))
  .option('--levels <a,b>', 'series: prediction-interval levels in percent', parseLevels, d.levels)
  .addOption(new Option('--missing <policy>', 'series: missing cells').choices(['interpolate', 'drop']).default(d.missing))
  .option('--batch <n>', 'batch size', number, d.batch)
  .option('--epochs <n>', 'passes over the training data (0 = 10, or as many as --max-seconds allows)', number, d.epochs)
  .option('--max-seconds <s>', 'time budget (0 = none)', number, d.maxSeconds)
  .option('--max-memory-mb <mb>', 'refuse a model whose training would need more memory than this (estimated)', number, d.maxMemoryMb)
  .option(
    '--lr <rate>',
    `Adam learning rate, the schedule's peak (0 = ${TEXT_LR} for text, ${SHORT_TEXT_LR} for a short one, ${SERIES_LR} for series)`,
    number,
    d.lr,
  )
  .addOption(
    new Option('--lr-schedule <kind>', 'learning-rate decay to lr/10 by the end of the epochs or budget (auto: cosine)')
      .choices(['auto', 'constant', 'cosine', 'linear'])
      .default(d.lrSchedule),
  )
  .option('--warmup <steps>', 'linear learning-rate warmup steps', number, d.warmup)
  .option('--clip <norm>', 'gradient-norm clipping (0 = off)', number, d.clip)
  .option('--patience <n>', 'early stopping patience in evaluations (0 = off)', number, d.patience)
  .option('--val <fraction>', 'validation fraction', number, d.val)
  .option('--test <fraction>', 'series: test fraction', number, d.test)
  .option('--threads <n>', 'threads sharing each batch (0 = one per core when it pays)', number, d.threads)
  .option('--seed <n>', 'random seed', number, d.seed)
  .addOption(new Option('--backend <name>', 'TensorFlow.js backend').choices(['auto', 'tensorflow', 'wasm', 'cpu']).default(d.backend))
  .option('--runs-dir <dir>', "where run folders go (default: .seqlab/runs in the data's workspace)")
  .option('--name <name>', 'a name for the run')
  .option('--resume <runDir>', 'continue training this run from its last checkpoint')
  .option('--json', 'print one JSON object with the results')
  .action(async (file: string | undefined, options: Record<string, unknown>) => {
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    process.once('SIGTERM', () => controller.abort());
    const printer = new ProgressPrinter(process.stderr);
    const trainArgs: Partial<TrainArgs> = { ...options };
    const result = await train(
      {
        file,
        text: options.text as string | undefined,
        args: trainArgs,
        runsDir: options.runsDir as string | undefined,
        name: options.name as string | undefined,
        resume: options.resume as string | undefined,
      },
      { onProgress: (p: TrainProgress) => printer.progress(p), onNote: (m) => printer.note(m), signal: controller.signal },
    );
    printer.done();
    const { record } = result;
    const summary = record.summary;
    const output = {
      runDir: result.runDir,
      status: record.status,
      message: record.message,
      task: record.task,
      backend: record.backend,
      cell: record.config.cell,
      params: record.params,
      epochs: record.progress.epoch,
      steps: record.progress.step,
      seconds: record.progress.seconds,
      tokensPerSecond: Math.round(record.data.kind === 'text' ? result.throughput : result.throughput * record.data.lookback),
      ...(record.task === 'series' ? { windowsPerSecond: Math.round(result.throughput) } : {}),
      peakRssMB: Math.round(result.peakRssMB),
      metrics: summary?.metrics ?? null,
      baselines: summary?.baselines ?? null,
      notes: record.notes,
    };
    print(
      Boolean(options.json),
      output,
      () => `${record.status}: ${record.message ?? ''}\n${summary ? formatSummary(summary) : ''}\nRun folder: ${result.runDir}`,
    );
    if (record.status === 'failed') fail(record.message ?? 'Training failed.');
    if (record.status === 'cancelled') process.exitCode = 130;
  });

program
  .command('predict')
  .description('Top-k next-token probabilities after a prompt.')
  .argument('<runDir>')
  .requiredOption('--prompt <text>', 'the text to continue')
  .option('--top-k <k>', 'how many tokens', number, 5)
  .option('--json', 'print JSON')
  .action(async (runDir: string, options: { prompt: string; topK: number; json?: boolean }) => {
    const run = await loadRun(runDir);
    const { topK, unknownTokens } = predictNext(run, options.prompt, options.topK);
    if (unknownTokens > 0) process.stderr.write(`Note: ${unknownTokens} prompt token(s) are not in the run's vocabulary and were read as unknown.\n`);
    print(Boolean(options.json), { topK }, () => topK.map((t) => `${JSON.stringify(t.token).padEnd(12)} ${(t.prob * 100).toFixed(2)}%`).join('\n'));
  });

program
  .command('generate')
  .description('Continue a prompt with the model: greedy (--temperature 0) or sampled.')
  .argument('<runDir>')
  .requiredOption('--prompt <text>', 'the text to continue')
  .option('--length <n>', 'tokens to generate', number, 200)
  .option('--temperature <t>', 'sampling temperature (0 = greedy)', number, 0.8)
  .option('--top-k <k>', 'sample among the k most likely (0 = all)', number, 0)
  .option('--top-p <p>', 'sample among the most likely tokens that make up probability p (1 = all, 0 = greedy)', number, GENERATE_DEFAULTS.topP)
  .option('--repetition-penalty <factor>', `penalise the words of the last ${REPETITION_WINDOW} tokens (1 = off)`, number, GENERATE_DEFAULTS.repetitionPenalty)
  .addOption(
    new Option('--stop <where>', 'end at the first word boundary or line end after --min-length tokens').choices(STOP_MODES).default(GENERATE_DEFAULTS.stop),
  )
  .option('--min-length <n>', 'with --stop: tokens to generate before a boundary can end the text', number, GENERATE_DEFAULTS.minLength)
  .option('--seed <n>', 'random seed', number, 1)
  .option('--json', 'print JSON')
  .action(async (runDir: string, options: GenerateArgs & { prompt: string; json?: boolean }) => {
    if (!Number.isInteger(options.length) || options.length < 1 || options.length > 100_000) fail('--length must be a whole number from 1 to 100000.');
    if (options.temperature < 0) fail('--temperature must be 0 (greedy) or more.');
    checkGenerateArgs(options);
    const run = await loadRun(runDir);
    const { text } = generateText(run, options.prompt, options);
    print(Boolean(options.json), { text }, () => options.prompt + text);
  });

program
  .command('forecast')
  .description('Forecast the steps after the end of the data.')
  .argument('<runDir>')
  .option('--horizon <n>', "steps to forecast (at most the run's horizon)", number)
  .option('--file <csv>', "forecast from this file's latest rows instead of the run's data")
  .option('--json', 'print JSON')
  .action(async (runDir: string, options: { horizon?: number; file?: string; json?: boolean }) => {
    const run = await loadRun(runDir);
    const result = await forecastNext(run, options.file, options.horizon);
    const levels = Object.keys(result.lower);
    print(Boolean(options.json), { forecast: result.forecast, time: result.time, lower: result.lower, upper: result.upper }, () =>
      [
        ['time'.padEnd(24), 'forecast'.padStart(12), ...levels.map((l) => `${l}% interval`.padStart(26))].join(''),
        ...result.forecast.map((v, i) =>
          [
            (result.time ? new Date(result.time[i]).toISOString() : `t+${i + 1}`).padEnd(24),
            v.toPrecision(6).padStart(12),
            ...levels.map((l) => `${result.lower[l][i].toPrecision(6)} … ${result.upper[l][i].toPrecision(6)}`.padStart(26)),
          ].join(''),
        ),
      ].join('\n'),
    );
  });

program
  .command('eval')
  .description("Metrics and baselines on the run's held-out split, or on another file (text: all of it; series: its test split).")
  .argument('<runDir>')
  .option('--file <file>', 'evaluate on this file instead of the held-out split')
  .option('--json', 'print JSON')
  .action(async (runDir: string, options: { file?: string; json?: boolean }) => {
    const run = await loadRun(runDir);
    const summary: RunSummary = await evaluateRun(run, options.file);
    print(Boolean(options.json), summary, () => formatSummary(summary));
  });

program
  .command('runs')
  .description('List runs, newest first; unreadable run folders are reported.')
  .option('--runs-dir <dir>', 'the runs folder', defaultRunsDir(undefined))
  .option('--json', 'print JSON')
  .action((options: { runsDir: string; json?: boolean }) => {
    const runs = listRuns(options.runsDir);
    print(
      Boolean(options.json),
      runs.map((r) =>
        r.ok
          ? {
              ok: true,
              dir: r.dir,
              id: r.record.id,
              status: r.record.status,
              task: r.record.task,
              cell: r.record.config.cell,
              summary: r.record.summary ?? null,
            }
          : r,
      ),
      () =>
        runs.length
          ? runs
              .map((r) => (r.ok ? `${r.record.status.padEnd(10)} ${r.record.task.padEnd(7)} ${path.basename(r.dir)}` : `corrupt    ${r.id}: ${r.problem}`))
              .join('\n')
          : `No runs in ${options.runsDir}.`,
    );
  });

/** Prints a one-line reason and exits non-zero. */
function fail(message: string): never {
  process.stderr.write(`seqlab: ${message.split('\n')[0]}\n`);
  process.exit(1);
}

program.parseAsync(process.argv).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
