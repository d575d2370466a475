// The seqlab command line: train, predict, generate, forecast, classify, eval and list runs, with --json for tools.
import * as path from 'node:path';
import { Command } from 'commander';
import { train } from '../engine/train';
import { classifyTexts, evaluateRun, forecastNext, generateText, loadRun, predictNext } from '../engine/predict';
import { labelFile } from '../engine/labelFile';
import { defaultRunsDir, listRuns } from '../engine/runStore';
import type { TrainProgress } from '../shared/protocol';
import { addOptionFlags, parseNumber } from './optionFlags';
import { formatSummary, ProgressPrinter } from './output';
import { GENERATE_OPTIONS, resolveGenerateArgs, TRAIN_OPTIONS, type GenerateArgs, type TrainArgs } from '../shared/options';
import type { RunSummary } from '../shared/runFolder';

function print(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(json ? JSON.stringify(value) + '\n' : text() + '\n');
}

const program = new Command('seqlab')
  .description('Train RNN, LSTM and GRU models on text, CSV time series and labelled texts, and predict with them.')
  .configureOutput({
    outputError: (message, write) =>
      write(
        `seqlab: ${message
          .trim()
          .split('\n')[0]
          .replace(/^error: /, '')} (see --help)\n`,
      ),
  });

const trainCommand = program
  .command('train')
  .description('Train a model on a text or CSV file (- for stdin), or on --text.')
  .argument('[file]', 'data file: text for next-token models, .csv/.tsv for forecasting or, with texts and labels, classifying; - reads stdin')
  .option('--text <literal>', 'train on this text instead of a file')
  .option('--runs-dir <dir>', "where run folders go (default: .seqlab/runs in the data's workspace)")
  .option('--name <name>', 'a name for the run')
  .option('--resume <runDir>', 'continue training this run from its last checkpoint')
  .option('--json', 'print one JSON object with the results');
addOptionFlags(trainCommand, TRAIN_OPTIONS).action(async (file: string | undefined, options: Record<string, unknown>) => {
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
    tokensPerSecond: Math.round(record.data.kind === 'series' ? result.throughput * record.data.lookback : result.throughput),
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
  .option('--top-k <k>', 'how many tokens', parseNumber, 5)
  .option('--json', 'print JSON')
  .action(async (runDir: string, options: { prompt: string; topK: number; json?: boolean }) => {
    const run = await loadRun(runDir);
    const { topK, unknownTokens } = predictNext(run, options.prompt, options.topK);
    if (unknownTokens > 0) process.stderr.write(`Note: ${unknownTokens} prompt token(s) are not in the run's vocabulary and were read as unknown.\n`);
    print(Boolean(options.json), { topK }, () => topK.map((t) => `${JSON.stringify(t.token).padEnd(12)} ${(t.prob * 100).toFixed(2)}%`).join('\n'));
  });

const generateCommand = program
  .command('generate')
  .description('Continue a prompt with the model: greedy (--temperature 0) or sampled.')
  .argument('<runDir>')
  .requiredOption('--prompt <text>', 'the text to continue')
  .option('--json', 'print JSON');
addOptionFlags(generateCommand, GENERATE_OPTIONS).action(async (runDir: string, options: GenerateArgs & { prompt: string; json?: boolean }) => {
  const args = resolveGenerateArgs(options);
  const run = await loadRun(runDir);
  const { text } = generateText(run, options.prompt, args);
  print(Boolean(options.json), { text }, () => options.prompt + text);
});

program
  .command('forecast')
  .description('Forecast the steps after the end of the data.')
  .argument('<runDir>')
  .option('--horizon <n>', "steps to forecast (at most the run's horizon)", parseNumber)
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
  .command('classify')
  .description('Class probabilities of a text, or label every row of a CSV/TSV into <file>.labelled.csv beside it.')
  .argument('<runDir>')
  .option('--text <text>', 'the text to classify')
  .option('--file <csv>', "label each row's text (the run's text column, or the first column of texts)")
  .option('--json', 'print JSON')
  .action(async (runDir: string, options: { text?: string; file?: string; json?: boolean }) => {
    if ((options.text === undefined) === (options.file === undefined))
      fail('Give --text "..." to classify one text, or --file <csv> to label a file (one of them).');
    const run = await loadRun(runDir);
    if (options.file !== undefined) {
      const labelled = labelFile(run, options.file);
      print(Boolean(options.json), labelled, () => `Labelled ${labelled.rows} rows (texts in ${labelled.textColumn}): ${labelled.output}`);
      return;
    }
    const [{ labels, unknownTokens }] = classifyTexts(run, [options.text as string]);
    if (unknownTokens > 0) process.stderr.write(`Note: ${unknownTokens} token(s) of the text are not in the run's vocabulary and were read as unknown.\n`);
    print(Boolean(options.json), { labels }, () => labels.map((l) => `${l.label.padEnd(16)} ${(l.prob * 100).toFixed(2)}%`).join('\n'));
  });

program
  .command('eval')
  .description("Metrics and baselines on the run's held-out split, or on another file (text: all of it; series: its test split; classify: every row).")
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
