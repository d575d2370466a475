// The "Train RNN on Selection / File" flows (what to learn from a CSV, then defaults in one step or a few quick picks to change the model and budget) and "Continue Training".
import * as path from 'node:path';
import * as vscode from 'vscode';
import { continuationBudget, withDefaultBudget } from './budget';
import type { RunsModel } from './runsModel';
import { defaultMaxSeconds, trainingDefaults } from './settings';
import type { TrainingService } from './training';
import { customizeOptions } from './customize';
import type { EngineHost } from './engineHost';
import { DEFAULT_EPOCHS, DEFAULTS, isSeriesFile, type Task, type TrainArgs } from '../shared/options';
import type { CsvColumnInfo, EngineResult } from '../shared/protocol';
import { hasUsableModel, parseRunRecord, RUN_FILE, type RunRecord } from '../shared/runFolder';
import * as fs from 'node:fs/promises';

/**
 * Trains on the editor's selection. `options` (from a keybinding or another extension) skips the quick picks.
 */
export async function trainOnSelection(training: TrainingService, options?: Partial<TrainArgs>, editor = vscode.window.activeTextEditor): Promise<void> {
  const text = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
  if (!editor || text.length === 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Select some text first: SeqLab trains a next-character model on the selection.'));
    return;
  }
  const args = options ? startingOptions(options) : await chooseOptions('text');
  if (!args) return;
  await training.train({ kind: 'text', text, label: `${path.parse(editor.document.fileName).name}-selection` }, args);
}

/**
 * Trains on a file: a CSV/TSV of texts with labels can go to a classifier (optionally starting from a text run), any
 * CSV/TSV with a numeric column to forecasting (after picking the target column), anything else to a text model.
 * `options` (from a keybinding or another extension, with `column` for a CSV) skips the quick picks.
 */
export async function trainOnFile(
  training: TrainingService,
  engine: EngineHost,
  runs: RunsModel,
  uri = vscode.window.activeTextEditor?.document.uri,
  options?: Partial<TrainArgs>,
): Promise<void> {
  if (!uri || uri.scheme !== 'file') {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open or right-click a saved file to train on it.'));
    return;
  }
  const file = uri.fsPath;
  const csv = isSeriesFile(file);
  if (options) {
    await training.train({ kind: 'file', file }, { ...startingOptions(options), task: options.task ?? (csv ? 'series' : 'text') });
    return;
  }
  const picked = csv ? await chooseCsvTask(engine, runs, file) : { task: 'text' as const };
  if (!picked) return;
  const args = await chooseOptions(picked.task, picked);
  if (!args) return;
  await training.train({ kind: 'file', file }, { ...args, ...picked });
}

/**
 * Continues training a run from its last checkpoint, for another default budget (`seqlab.defaultTimeBudget`,
 * or without one the default epochs again).
 */
export async function continueTraining(training: TrainingService, runs: RunsModel, runId: string): Promise<void> {
  const runDir = runs.runDir(runId);
  if (!runDir) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The run {0} no longer exists, so it cannot be continued. Pick another in the Runs view.', runId));
    return;
  }
  // Read now, not from the listing: a run that has just ended may still be listed as running.
  let record: RunRecord;
  try {
    record = parseRunRecord(await fs.readFile(path.join(runDir, RUN_FILE), 'utf8'), runDir);
  } catch (error) {
    void vscode.window.showErrorMessage((error as Error).message);
    return;
  }
  const name = record.name ?? record.id;
  if (record.status === 'running' || training.running().some((run) => run.runId === runId)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is training now: continue it once it ends, or stop it first.', name));
    return;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Trust this workspace to continue training {0}: training reads its data and writes into its run folder.', name),
    );
    return;
  }
  await training.train({ kind: 'run', runDir, label: name }, continuationBudget(record.progress.epoch, defaultMaxSeconds(), trainingDefaults().epochs));
}

/** Options from a command or keybinding over the settings, with the default time budget when neither sets a budget. */
function startingOptions(options?: Partial<TrainArgs>): Partial<TrainArgs> {
  return withDefaultBudget(trainingDefaults(), defaultMaxSeconds(), options);
}

/** A budget in words: "about 1 min", "about 90 s", "10 epochs", or both limits. */
function describeBudget(a: Partial<TrainArgs>): string {
  const epochs = vscode.l10n.t('{0} epochs', a.epochs || DEFAULT_EPOCHS);
  if (!a.maxSeconds) return epochs;
  const time = a.maxSeconds % 60 === 0 ? vscode.l10n.t('about {0} min', a.maxSeconds / 60) : vscode.l10n.t('about {0} s', a.maxSeconds);
  return a.epochs ? vscode.l10n.t('{0}, at most {1}', epochs, time) : time;
}

/** The model, its data window and the budget in words, for the quick picks. */
function describeOptions(task: Task, a: Partial<TrainArgs>): string {
  const model = `${(a.cell ?? DEFAULTS.cell).toUpperCase()}, ${a.hidden ?? DEFAULTS.hidden} hidden × ${a.layers ?? DEFAULTS.layers} layer(s)`;
  switch (task) {
    case 'text':
      return `${model}, seq ${a.seqLen ?? DEFAULTS.seqLen}, ${describeBudget(a)}`;
    case 'series':
      return `${model}, lookback ${a.lookback || vscode.l10n.t('auto')}, horizon ${a.horizon ?? DEFAULTS.horizon}, ${describeBudget(a)}`;
    case 'classify': {
      // A classifier started from a text run takes that run's cell, sizes and tokens.
      const start = a.initFrom ? vscode.l10n.t('from {0}', path.basename(a.initFrom)) : `${model}, ${a.tokens ?? DEFAULTS.tokens} tokens`;
      return `${start}, pool ${a.pool ?? DEFAULTS.pool}, ${describeBudget(a)}`;
    }
  }
}

/** One step with the defaults, or "Customize…" for any option that applies to the task; `fixed` (columns, a text run to start from) stays as picked. */
async function chooseOptions(task: Task, fixed: Partial<TrainArgs> = {}): Promise<Partial<TrainArgs> | undefined> {
  const defaults = startingOptions();
  const describe = (a: Partial<TrainArgs>) => describeOptions(task, { ...a, ...fixed });
  const start = { label: `$(play) ${vscode.l10n.t('Train with defaults')}`, description: describe(defaults) };
  const customize = { label: `$(settings) ${vscode.l10n.t('Customize…')}`, description: vscode.l10n.t('any option: cell, size, window, time budget…') };
  const choice = await vscode.window.showQuickPick([start, customize], {
    title: vscode.l10n.t('SeqLab: train a model'),
    placeHolder: vscode.l10n.t('Start training'),
  });
  if (!choice) return undefined;
  if (choice === start) return defaults;
  return customizeOptions(task, defaults, describe);
}

/**
 * What to learn from a CSV/TSV, read by the engine (never the whole file in the extension host): when it looks like
 * labelled texts, classifying its rows (then from scratch or from a text run) or forecasting a column; else forecasting.
 */
async function chooseCsvTask(engine: EngineHost, runs: RunsModel, file: string): Promise<(Partial<TrainArgs> & { task: Task }) | undefined> {
  let read: EngineResult<'data/columns'>;
  try {
    read = await engine.request('data/columns', { file });
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('SeqLab cannot read {0} as CSV: {1}', path.basename(file), (error as Error).message));
    return undefined;
  }
  const numeric = read.columns.filter((c) => c.kind === 'numeric' && !c.isTime);
  const labelled = read.classify;
  if (labelled) {
    const classify = {
      label: `$(tag) ${vscode.l10n.t('Classify rows by {0}', labelled.labelColumn)}`,
      description: vscode.l10n.t('{0} classes, texts in {1}', labelled.classes, labelled.textColumn),
    };
    const forecast = { label: `$(graph-line) ${vscode.l10n.t('Forecast a column')}`, description: numeric.map((c) => c.name).join(', ') };
    const choice = await vscode.window.showQuickPick(numeric.length > 0 ? [classify, forecast] : [classify], {
      title: vscode.l10n.t('What to learn from {0}', path.basename(file)),
      placeHolder: vscode.l10n.t('The file looks like texts with labels'),
    });
    if (!choice) return undefined;
    if (choice === classify) {
      const initFrom = await chooseTextRunToStartFrom(runs);
      if (initFrom === undefined) return undefined;
      return { task: 'classify', textColumn: labelled.textColumn, labelColumn: labelled.labelColumn, ...(initFrom ? { initFrom } : {}) };
    }
  }
  const columns = await chooseColumns(file, read.columns, numeric);
  return columns && { ...columns, task: 'series' };
}

/**
 * Whether a classifier starts from a text run's embedding and recurrent layers (language-model pretraining): the run's
 * folder, null for from scratch (also when the workspace has no usable text run), undefined when the user backs out.
 */
async function chooseTextRunToStartFrom(runs: RunsModel): Promise<string | null | undefined> {
  const textRuns = runs.items().flatMap((run) => {
    const dir = run.task === 'text' && hasUsableModel(run) ? runs.runDir(run.id) : undefined;
    return dir ? [{ run, dir }] : [];
  });
  if (textRuns.length === 0) return null;
  type Item = vscode.QuickPickItem & { dir: string | null };
  const scratch: Item = { label: vscode.l10n.t('No, from scratch'), description: vscode.l10n.t('new embedding and recurrent layers'), dir: null };
  const items: (Item | vscode.QuickPickItem)[] = [
    scratch,
    { label: vscode.l10n.t('Text models'), kind: vscode.QuickPickItemKind.Separator },
    ...textRuns.map(({ run, dir }): Item => ({
      label: `$(symbol-text) ${run.name}`,
      description: [
        run.cell?.toUpperCase(),
        run.textValidation ? (run.textValidation.characters ? vscode.l10n.t('character tokens') : vscode.l10n.t('word tokens')) : undefined,
        run.keyMetric,
      ]
        .filter(Boolean)
        .join(' · '),
      detail: vscode.l10n.t('Its vocabulary, cell and sizes are used.'),
      dir,
    })),
  ];
  const picked = (await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Start from a text model (language-model pretraining)'),
    placeHolder: vscode.l10n.t('The classifier can start from the embedding and recurrent layers of a text model trained on similar text'),
  })) as Item | undefined;
  return picked ? picked.dir : undefined;
}

/** Asks for the target and input columns of a CSV to forecast. */
async function chooseColumns(file: string, columns: CsvColumnInfo[], numeric: CsvColumnInfo[]): Promise<Partial<TrainArgs> | undefined> {
  if (numeric.length === 0) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('{0} has no numeric column to forecast. Columns: {1}.', path.basename(file), columns.map((c) => c.name).join(', ')),
    );
    return undefined;
  }
  const items = numeric.map((c) => ({
    label: c.name,
    description: c.isDefaultTarget ? vscode.l10n.t('default') : undefined,
    detail: c.preview.join(', '),
    column: c,
  }));
  const sorted = [...items.filter((i) => i.column.isDefaultTarget), ...items.filter((i) => !i.column.isDefaultTarget)];
  const target = await vscode.window.showQuickPick(sorted, {
    title: vscode.l10n.t('Column to forecast'),
    placeHolder: vscode.l10n.t('The target column (first values shown)'),
    matchOnDetail: true,
  });
  if (!target) return undefined;
  const others = items.filter((i) => i !== target);
  let inputs: string[] = [];
  if (others.length > 0) {
    const picked = await vscode.window.showQuickPick(others, {
      title: vscode.l10n.t('Extra input columns (optional)'),
      placeHolder: vscode.l10n.t('Columns the model also sees; press Enter for none'),
      canPickMany: true,
    });
    if (!picked) return undefined;
    inputs = picked.map((p) => p.column.name);
  }
  return { column: target.column.name, inputs };
}
