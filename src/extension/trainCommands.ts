// The "Train RNN on Selection / File" flows (defaults in one step, or a few quick picks to change the model and budget) and "Continue Training".
import * as path from 'node:path';
import * as vscode from 'vscode';
import { continuationBudget, withDefaultBudget } from './budget';
import type { RunsModel } from './runsModel';
import { defaultMaxSeconds, trainingDefaults } from './settings';
import type { TrainingService } from './training';
import { customizeOptions } from './customize';
import type { EngineHost } from './engineHost';
import { DEFAULT_EPOCHS, DEFAULTS, isSeriesFile, type Task, type TrainArgs } from '../shared/options';
import type { CsvColumnInfo } from '../shared/protocol';
import { parseRunRecord, RUN_FILE, type RunRecord } from '../shared/runFolder';
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
 * Trains on a file: a CSV goes to forecasting (after picking the target column), anything else to a text model.
 * `options` (from a keybinding or another extension, with `column` for a CSV) skips the quick picks.
 */
export async function trainOnFile(
  training: TrainingService,
  engine: EngineHost,
  uri = vscode.window.activeTextEditor?.document.uri,
  options?: Partial<TrainArgs>,
): Promise<void> {
  if (!uri || uri.scheme !== 'file') {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open or right-click a saved file to train on it.'));
    return;
  }
  const file = uri.fsPath;
  const series = isSeriesFile(file);
  let columnArgs: Partial<TrainArgs> = {};
  if (series && !options) {
    const picked = await chooseColumns(engine, file);
    if (!picked) return;
    columnArgs = picked;
  }
  const args = options ? startingOptions(options) : await chooseOptions(series ? 'series' : 'text');
  if (!args) return;
  await training.train({ kind: 'file', file }, { ...args, ...columnArgs, task: series ? 'series' : 'text' });
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

/** One step with the defaults, or "Customize…" for any option that applies to the task. */
async function chooseOptions(task: Task): Promise<Partial<TrainArgs> | undefined> {
  const defaults = startingOptions();
  const describe = (a: Partial<TrainArgs>) =>
    `${(a.cell ?? DEFAULTS.cell).toUpperCase()}, ${a.hidden ?? DEFAULTS.hidden} hidden × ${a.layers ?? DEFAULTS.layers} layer(s), ${task === 'text' ? `seq ${a.seqLen ?? DEFAULTS.seqLen}` : `lookback ${a.lookback || vscode.l10n.t('auto')}, horizon ${a.horizon ?? DEFAULTS.horizon}`}, ${describeBudget(a)}`;
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

/** Reads the start of a CSV (never the whole file in the extension host) and asks for the target and input columns. */
async function chooseColumns(engine: EngineHost, file: string): Promise<Partial<TrainArgs> | undefined> {
  let columns: CsvColumnInfo[];
  try {
    ({ columns } = await engine.request('data/columns', { file }));
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('SeqLab cannot read {0} as CSV: {1}', path.basename(file), (error as Error).message));
    return undefined;
  }
  const numeric = columns.filter((c) => c.kind === 'numeric' && !c.isTime);
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
