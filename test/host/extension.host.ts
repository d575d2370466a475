// Extension-host suite: commands, training from a selection and a CSV, the preview, stop, crash recovery and training threads, through the real VS Code API.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import type { SeqLabApi } from '../../src/extension/extension';
import type { MetricsLine, RunRecord } from '../../src/shared/runFolder';
import { waitForRun as waitForRunIn } from './waitForRun';

const EXTENSION_ID = 'seqlab.seqlab';
/** Small, quick models: these tests check the wiring, not the learning. */
const QUICK = { hidden: 16, seqLen: 16, lookback: 24, horizon: 6, maxSeconds: 0 };

let api: SeqLabApi;
const workspace = () => (vscode.workspace.workspaceFolders as readonly vscode.WorkspaceFolder[])[0].uri.fsPath;

/** Resolves with the first run that matches, once it shows up in the runs folder. */
const waitForRun = (predicate: (record: RunRecord) => boolean) => waitForRunIn(api, predicate, 120_000);

/** A run's metrics lines as the dashboard gets them when it selects the run. */
async function chartLines(runId: string): Promise<MetricsLine[]> {
  let lines: MetricsLine[] = [];
  await api.runs.metricsTail(runId, (delivered) => (lines = delivered))?.load();
  return lines;
}

suite('SeqLab extension', function () {
  this.timeout(180_000);

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<SeqLabApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    await vscode.workspace.getConfiguration('seqlab').update('openDashboardOnTrain', false, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('seqlab').update('openDashboardOnTrain', undefined, vscode.ConfigurationTarget.Global);
  });

  test('every contributed command is registered', async () => {
    const contributed: { command: string }[] = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.contributes.commands;
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(contributed.length >= 11);
    assert.deepEqual(
      contributed.map((c) => c.command).filter((c) => !registered.has(c)),
      [],
    );
  });

  test('"Train on Selection" over a selected paragraph completes a text run whose loss decreases', async () => {
    const document = await vscode.workspace.openTextDocument(path.join(workspace(), 'english.txt'));
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 40, 0);
    await vscode.commands.executeCommand('seqlab.trainSelection', { ...QUICK, cell: 'gru', epochs: 3 });
    const run = await waitForRun((r) => r.task === 'text' && r.source.kind === 'text' && r.status === 'completed');
    assert.equal(run.summary?.task, 'text');
    const dir = api.runs.runDir(run.id) as string;
    const losses = fs
      .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.kind === 'train')
      .map((l) => l.loss as number);
    assert.ok(losses.length >= 20);
    assert.ok(losses.at(-1)! < losses[0] * 0.8, `loss went from ${losses[0]} to ${losses.at(-1)}`);
  });

  test('"Train on File" on a CSV trains a series run with a forecast chart', async () => {
    const csv = vscode.Uri.file(path.join(workspace(), 'monthly_sales.csv'));
    await vscode.commands.executeCommand('seqlab.trainFile', csv, { ...QUICK, column: 'sales', lookback: 24, horizon: 6, epochs: 3 });
    const run = await waitForRun((r) => r.task === 'series' && r.source.path === csv.fsPath && r.status === 'completed');
    assert.ok((await api.runs.forecastChart(run.id))?.backtest.seasonalNaive, 'forecast.json has the seasonal-naive backtest');
  });

  test('"Train on File" on a CSV written as spreadsheets export it (quoted dates, CRLF, no final line break) trains a series run', async () => {
    // Read back by the UI suite, whose ghost rows must continue the file in its own format.
    const rows = Array.from({ length: 400 }, (_, day) => {
      const date = new Date(Date.UTC(1990, 0, 1 + day)).toISOString().slice(0, 10);
      return `"${date}",${(11 + 5 * Math.sin((2 * Math.PI * day) / 365) + ((day * 7919) % 13) / 10).toFixed(1)}`;
    });
    const file = path.join(workspace(), 'daily_temps.csv');
    fs.writeFileSync(file, ['"Date","Temp"', ...rows].join('\r\n'));
    await vscode.commands.executeCommand('seqlab.trainFile', vscode.Uri.file(file), { ...QUICK, column: 'Temp', lookback: 28, horizon: 7, epochs: 2 });
    const run = await waitForRun((r) => r.task === 'series' && r.source.path === file && r.status === 'completed');
    assert.equal(run.data.kind === 'series' && run.data.timeColumn, 'Date');
  });

  test('a CSV with a series run gets a forecast CodeLens with its MASE beside the best baseline, and the 80% interval', async () => {
    const csv = vscode.Uri.file(path.join(workspace(), 'monthly_sales.csv'));
    await waitForRun((r) => r.task === 'series' && r.source.path === csv.fsPath && r.status === 'completed');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(csv));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', csv);
    const titles = lenses.map((lens) => lens.command?.title ?? '');
    assert.ok(
      titles.some((t) => /Forecast next 6 of sales \(MASE \d+\.\d\d vs (naive|seasonal naive|ETS) \d+\.\d\d, 80% ±[\d.]+\)/.test(t)),
      titles.join(' | '),
    );
  });

  test('"Train on File" on a CSV of labelled texts trains a classifier: its key metric, CodeLens and row hover', async () => {
    // Two topics told apart by their words; texts with commas are quoted, and one spans two lines.
    const words = { sport: ['match', 'goal', 'team', 'score', 'coach', 'league'], weather: ['rain', 'cloud', 'sun', 'wind', 'storm', 'forecast'] };
    const rows = Array.from({ length: 240 }, (_, i) => {
      const label = i % 2 === 0 ? 'sport' : 'weather';
      const pool = words[label];
      const text = `the ${pool[i % 6]}, then ${pool[(i * 7 + 1) % 6]} and ${pool[(i * 5 + 2) % 6]} again`;
      return `"${text}",${label}`;
    });
    rows[3] = '"the storm, then rain\nand wind again",weather';
    const file = path.join(workspace(), 'topics.csv');
    fs.writeFileSync(file, ['text,label', ...rows].join('\n') + '\n');
    const uri = vscode.Uri.file(file);
    await vscode.commands.executeCommand('seqlab.trainFile', uri, {
      task: 'classify',
      textColumn: 'text',
      labelColumn: 'label',
      tokens: 'word',
      hidden: 16,
      epochs: 4,
      maxSeconds: 0,
    });
    const run = await waitForRun((r) => r.task === 'classify' && r.source.path === file && r.status === 'completed');
    assert.equal(run.summary?.task, 'classify');
    assert.match(api.runs.items().find((item) => item.id === run.id)?.keyMetric ?? '', /^macro-F1 \d\.\d\d$/);

    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const lens = lenses.find((l) => l.command?.title.includes('Classifier'));
    assert.match(lens?.command?.title ?? '', /Classifier: macro-F1 \d\.\d\d vs naive Bayes \d\.\d\d/, lenses.map((l) => l.command?.title).join(' | '));
    assert.deepEqual([lens?.command?.command, lens?.command?.arguments], ['seqlab.openDashboard', [run.id]]);

    // The second line of the row that spans two: the hover reads the whole quoted text cell, and the label after it.
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(5, 3));
    const hover = hovers.find((h) => h.contents.some((c) => (typeof c === 'string' ? c : c.value).includes('SeqLab classifier')));
    const text = hover?.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n') ?? '';
    assert.match(text, /SeqLab classifier .+: \*\*(sport|weather)\*\* \d+\.\d%/);
    assert.match(text, /The file labels this row (weather too|weather)\./);
    assert.deepEqual([hover?.range?.start.line, hover?.range?.end.line], [4, 5], 'the hover covers the whole row');
    const header = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 2));
    assert.ok(!header.some((h) => h.contents.some((c) => (typeof c === 'string' ? c : c.value).includes('SeqLab classifier'))), 'no hover on the header');

    // "Classify Selection" from the Runs view's run, on a selected text.
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: 'goal and score for the team' }));
    editor.selection = new vscode.Selection(0, 0, 0, 27);
    await vscode.commands.executeCommand('seqlab.classifySelection', run.id);
  });

  test("hovering a character of a text file shows the model's probability for it", async () => {
    const document = await vscode.workspace.openTextDocument(path.join(workspace(), 'english.txt'));
    await vscode.window.showTextDocument(document);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(2, 10));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /SeqLab: P\(`.`\s*\| text before\) = \d+\.\d%/);
  });

  test('a CSV file, plain text to VS Code, gets no text-model hover: its preview is the forecast', async () => {
    const document = await vscode.workspace.openTextDocument(path.join(workspace(), 'energy.csv'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(2, 5));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.doesNotMatch(text, /SeqLab: P\(/);
  });

  test('seqlab.preview.languages applies without a reload: a language left out gets no hover, and it comes back', async () => {
    const document = await vscode.workspace.openTextDocument(path.join(workspace(), 'english.txt'));
    const config = vscode.workspace.getConfiguration('seqlab.preview');
    const hoverText = async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(2, 10));
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    };
    try {
      await config.update('languages', ['markdown'], vscode.ConfigurationTarget.Global);
      assert.doesNotMatch(await hoverText(), /SeqLab/);
      await config.update('languages', ['plaintext'], vscode.ConfigurationTarget.Global);
      assert.match(await hoverText(), /SeqLab: P\(/);
    } finally {
      await config.update('languages', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('"Stop Training" cancels a run and marks it cancelled', async () => {
    const file = vscode.Uri.file(path.join(workspace(), 'english.txt'));
    const before = new Set(api.runs.listings().map((r) => r.dir));
    void vscode.commands.executeCommand('seqlab.trainFile', file, { ...QUICK, epochs: 1000, patience: 0, evalEvery: 10 });
    await waitForRun((r) => r.status === 'running' && !before.has(api.runs.runDir(r.id) ?? '') && r.progress.step > 0);
    await vscode.commands.executeCommand('seqlab.stopTraining');
    const run = await waitForRun((r) => !before.has(api.runs.runDir(r.id) ?? '') && r.status !== 'running');
    assert.equal(run.status, 'cancelled');
  });

  test('killing the engine process mid-run marks the run failed, keeps its metrics, and the extension keeps working', async () => {
    const file = vscode.Uri.file(path.join(workspace(), 'english.txt'));
    const before = new Set(api.runs.listings().map((r) => r.dir));
    void vscode.commands.executeCommand('seqlab.trainFile', file, { ...QUICK, epochs: 1000, patience: 0, evalEvery: 10 });
    const running = await waitForRun((r) => r.status === 'running' && !before.has(api.runs.runDir(r.id) ?? '') && r.progress.step > 0);
    assert.ok(api.training.kill(running.id));
    const run = await waitForRun((r) => r.id === running.id && r.status !== 'running');
    assert.equal(run.status, 'failed');
    assert.ok((await chartLines(run.id)).length > 0, 'metrics kept');
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('seqlab.openDashboard'));
    await vscode.commands.executeCommand('seqlab.openDashboard', run.id);
    assert.equal(api.engine.processCount <= 1, true);
  });

  test('a run big enough to share its batches trains on every core, with the gradient worker the VSIX ships', async () => {
    const file = vscode.Uri.file(path.join(workspace(), 'english.txt'));
    const before = new Set(api.runs.listings().map((r) => r.dir));
    await vscode.commands.executeCommand('seqlab.trainFile', file, { hidden: 64, seqLen: 64, batch: 32, epochs: 1000, maxSeconds: 3 });
    const run = await waitForRun((r) => !before.has(api.runs.runDir(r.id) ?? '') && r.status === 'completed');
    assert.equal(run.threads, Math.min(os.availableParallelism(), 8), 'one thread per core (a batch of 32 rows allows up to 8)');
  });

  test('"Continue Training" resumes a finished run from its checkpoint for another default time budget', async () => {
    const run = await waitForRun((r) => r.task === 'text' && r.source.kind === 'text' && r.status === 'completed');
    const config = vscode.workspace.getConfiguration('seqlab');
    await config.update('defaultTimeBudget', 2, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('seqlab.continueTraining', run.id);
    } finally {
      await config.update('defaultTimeBudget', undefined, vscode.ConfigurationTarget.Global);
    }
    const dir = api.runs.runDir(run.id) as string;
    const resumed = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as RunRecord;
    assert.equal(resumed.status, 'completed', resumed.message);
    assert.equal(resumed.config.maxSeconds, 2);
    assert.ok(resumed.progress.step > run.progress.step, `step ${run.progress.step} → ${resumed.progress.step}`);
    assert.match(fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8'), /Resumed at step/);
  });
});
