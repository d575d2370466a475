// The seqlab command line: train, predict, generate, forecast, classify, eval, list runs and look inside text runs, with --json for tools.
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { train } from '../engine/train';
import { classifyTexts, evaluateRun, forecastNext, generateText, loadRun, predictNext } from '../engine/predict';
import { labelFile } from '../engine/labelFile';
import { defaultRunsDir, listRuns } from '../engine/runStore';
import type { TrainProgress } from '../shared/protocol';
import { addOptionFlags, parseNumber } from './optionFlags';
import { formatSummary, ProgressPrinter } from './output';
import { formatActivations, formatSurprisal, formatTrace, formatUnits } from './inspectOutput';
import { computeActivations } from '../engine/inspect/activations';
import { inspectedRun, type InspectedRun } from '../engine/inspect/inspectedRun';
import { readInspectText, type InspectTextArgs } from '../engine/inspect/inspectedText';
import { computeSurprisal } from '../engine/inspect/surprisal';
import { computeTrace } from '../engine/inspect/trace';
import { parseSpan, searchUnits } from '../engine/inspect/unitSearch';
import { INSPECT_STATES, type ActivationsResult, type InspectState } from '../shared/inspect';
import { GENERATE_OPTIONS, resolveGenerateArgs, TRAIN_OPTIONS, type GenerateArgs, type TrainArgs } from '../shared/options';
import type { RunSummary } from '../shared/runFolder';
import { exportRun } from '../engine/export/exportRun';
import { importRun } from '../engine/export/importRun';

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

/** The options of every command that looks inside a text run: the text (--text or --file) and --json. */
function inspectCommand(name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .argument('<runDir>', 'a text run')
    .option('--text <text>', 'the text to read')
    .option('--file <file>', 'read this file')
    .option('--json', 'print JSON');
}

/** --layer and --state, for the commands that read one layer's state. */
function layerOptions(command: Command): Command {
  return command
    .option('--layer <n>', 'the layer, from 0 (default: the last)', parseNumber)
    .addOption(new Option('--state <state>', 'h, or c (the cell state) for an LSTM').choices(INSPECT_STATES).default('h'));
}

/** The text to inspect (checked first), then the run, refused unless it is a text run (`what`: "activations need"). */
async function openInspection(runDir: string, options: InspectTextArgs, what: string): Promise<{ run: InspectedRun; text: string }> {
  const text = readInspectText({ text: options.text, file: options.file });
  return { run: inspectedRun(await loadRun(runDir), what), text };
}

/**
 * Prints activations as JSON.stringify would, the values a thousand rows at a time: as one string, the values of a long
 * text (100,000 tokens × 256 units) would pass the longest string V8 makes.
 */
function printActivationsJson(result: ActivationsResult): void {
  const { values, ...rest } = result;
  const head = JSON.stringify(rest);
  process.stdout.write(`${head.slice(0, -1)},"values":[`);
  for (let first = 0; first < values.length; first += 1000) {
    process.stdout.write((first > 0 ? ',' : '') + JSON.stringify(values.slice(first, first + 1000)).slice(1, -1));
  }
  process.stdout.write(']}\n');
}

/** predict's note on tokens outside the vocabulary. */
function noteUnknown(unknown: readonly number[]): void {
  if (unknown.length > 0) process.stderr.write(`Note: ${unknown.length} token(s) of the text are not in the run's vocabulary and were read as unknown.\n`);
}

type InspectOptions = InspectTextArgs & { json?: boolean };
type LayerOptions = InspectOptions & { layer?: number; state: InspectState };

layerOptions(inspectCommand('activations', "One layer's state after each token of a text, read as one stream as eval reads it.")).action(
  async (runDir: string, options: LayerOptions) => {
    const { run, text } = await openInspection(runDir, options, 'activations need');
    const result = computeActivations(run, text, { layer: options.layer, state: options.state });
    noteUnknown(result.unknown);
    if (options.json) printActivationsJson(result);
    else print(false, result, () => formatActivations(result));
  },
);

inspectCommand('surprisal', 'Bits of surprise at each token (−log2 p), the likeliest alternatives, and the total, scored as eval scores the text.')
  .option('--top <k>', 'alternatives per token', parseNumber, 3)
  .action(async (runDir: string, options: InspectOptions & { top: number }) => {
    const { run, text } = await openInspection(runDir, options, 'surprisal needs');
    const result = computeSurprisal(run, text, { top: options.top });
    noteUnknown(result.unknown);
    for (const note of result.notes) process.stderr.write(`Note: ${note}\n`);
    print(Boolean(options.json), result, () => formatSurprisal(result));
  });

inspectCommand(
  'trace',
  'Every term of the recurrence at each step of a short text (x_t, h_{t-1}, W·x, W·h, b, gates, c, h_t) and the next-token probabilities.',
)
  .option('--top <k>', 'next tokens listed per step', parseNumber, 5)
  .action(async (runDir: string, options: InspectOptions & { top: number }) => {
    const { run, text } = await openInspection(runDir, options, 'a trace needs');
    const result = computeTrace(run, text, { top: options.top });
    noteUnknown(result.unknown);
    print(Boolean(options.json), result, () => formatTrace(result));
  });

layerOptions(inspectCommand('units', 'The units of a layer that best pick out a span of the text, ranked by separation, variance and interpretability.'))
  .requiredOption('--span <start:end>', 'the span, as character offsets START:END (END excluded)')
  .option('--top <k>', 'units listed per ranking', parseNumber, 10)
  .action(async (runDir: string, options: LayerOptions & { span: string; top: number }) => {
    const span = parseSpan(options.span);
    const { run, text } = await openInspection(runDir, options, 'unit search needs');
    const result = searchUnits(run, text, { span, layer: options.layer, state: options.state, top: options.top });
    noteUnknown(result.unknown);
    print(Boolean(options.json), result, () => formatUnits(result));
  });

// --- Export to PyTorch and import back (issue 13) ---
program
  .command('export')
  .description('Export a text or series run to a self-contained PyTorch folder: model.py, weights (.npy), config.json, predict.py, train.py (DDP).')
  .argument('<runDir>')
  .addOption(new Option('--to <target>', 'what to export to').choices(['pytorch']).default('pytorch'))
  .requiredOption('--out <dir>', 'the folder to write (new, or empty)')
  .option('--json', 'print JSON')
  .action(async (runDir: string, options: { to: string; out: string; json?: boolean }) => {
    const result = await exportRun(runDir, options.out, options.to);
    print(Boolean(options.json), result, () => `Exported ${runDir} (step ${result.step}) to ${result.dir}: ${result.files.length} files. See its README.md.`);
  });

program
  .command('import')
  .description("Turn a PyTorch export folder, trained further, into a new SeqLab run evaluated on the run's own held-out split.")
  .argument('<exportDir>')
  .option('--weights <dir>', 'the weights folder to read (default: the newest checkpoints/step-N, else weights/)')
  .option('--runs-dir <dir>', 'where the new run folder goes (default: beside the exported run)')
  .option('--name <name>', 'a name for the run')
  .option('--json', 'print JSON')
  .action(async (exportDir: string, options: { weights?: string; runsDir?: string; name?: string; json?: boolean }) => {
    const { runDir, record } = await importRun(exportDir, { ...options, onNote: (m) => process.stderr.write(m + '\n') });
    const output = {
      runDir,
      status: record.status,
      importedFrom: record.importedFrom,
      metrics: record.summary?.metrics ?? null,
      baselines: record.summary?.baselines ?? null,
    };
    print(Boolean(options.json), output, () => `${record.message ?? ''}\n${record.summary ? formatSummary(record.summary) : ''}\nRun folder: ${runDir}`);
  });
// --- end of export/import ---

/** Prints a one-line reason and exits non-zero. */
function fail(message: string): never {
  process.stderr.write(`seqlab: ${message.split('\n')[0]}\n`);
  process.exit(1);
}

program.parseAsync(process.argv).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
