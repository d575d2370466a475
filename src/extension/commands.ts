// The SeqLab commands: what each palette entry, menu item and tree action does.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RunListItem } from '../shared/protocol';
import { hasUsableModel } from '../shared/runFolder';
import { classifyText, topLabels, unknownNote } from './classifyText';
import { DashboardPanel, type DashboardServices } from './dashboardPanel';
import type { CsvForecastProvider, PreviewModel } from './preview';
import { continueTraining, trainOnFile, trainOnSelection } from './trainCommands';
import { GENERATE_DEFAULTS, type TrainArgs } from '../shared/options';

/** Everything the commands act on. */
export interface CommandServices extends DashboardServices {
  preview: PreviewModel;
  csvForecast: CsvForecastProvider;
}

/** A run id from a command argument: a tree item, a run id string, or nothing (then the user picks). */
async function pickRun(
  services: CommandServices,
  argument: unknown,
  filter: (run: RunListItem) => boolean,
  placeHolder: string,
): Promise<RunListItem | undefined> {
  const runs = services.runs.items().filter(filter);
  const id = typeof argument === 'string' ? argument : (argument as RunListItem | undefined)?.id;
  if (id) return runs.find((r) => r.id === id);
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No matching SeqLab runs yet. Train one first: right-click a file or a selection → "Train RNN…".'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    runs.map((run) => ({ label: run.name, description: [run.status, run.cell?.toUpperCase(), run.keyMetric].filter(Boolean).join(' · '), run })),
    { placeHolder },
  );
  return picked?.run;
}

/** Options passed to a train command by a keybinding or another extension (a plain object), else undefined. */
function trainOptions(value: unknown): Partial<TrainArgs> | undefined {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri) && !Array.isArray(value) ? (value as Partial<TrainArgs>) : undefined;
}

const isText = (run: RunListItem) => run.task === 'text' && hasUsableModel(run);
const isSeries = (run: RunListItem) => run.task === 'series' && hasUsableModel(run);
const isClassifier = (run: RunListItem) => run.task === 'classify' && hasUsableModel(run);

/** Registers every command; the disposables go into the extension's subscriptions. */
export function registerCommands(services: CommandServices): vscode.Disposable[] {
  const { runs, training, engine, preview, log } = services;
  const register = (id: string, run: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, run);
  return [
    register('seqlab.trainSelection', (options?: unknown) => trainOnSelection(training, trainOptions(options))),
    register('seqlab.trainFile', (uri?: unknown, options?: unknown) =>
      trainOnFile(training, engine, runs, uri instanceof vscode.Uri ? uri : undefined, trainOptions(options)),
    ),
    register('seqlab.openDashboard', (run?: unknown) => DashboardPanel.show(services, typeof run === 'string' ? run : (run as RunListItem | undefined)?.id)),
    register('seqlab.stopTraining', async (run?: unknown) => {
      const id = typeof run === 'string' ? run : (run as RunListItem | undefined)?.id;
      const active = training.running();
      if (active.length === 0) return void vscode.window.showInformationMessage(vscode.l10n.t('No SeqLab run is training.'));
      if (id || active.length === 1) return training.stop(id ?? active[0].runId);
      const picked = await vscode.window.showQuickPick(
        [{ label: vscode.l10n.t('All runs'), runId: undefined }, ...active.map((r) => ({ label: r.label, runId: r.runId }))],
        { placeHolder: vscode.l10n.t('Stop which run?') },
      );
      if (picked) training.stop(picked.runId);
    }),
    register('seqlab.continueTraining', async (arg?: unknown) => {
      // A run named by the caller is checked by continueTraining, which says why one cannot continue.
      const id =
        typeof arg === 'string'
          ? arg
          : ((arg as RunListItem | undefined)?.id ?? (await pickRun(services, undefined, hasUsableModel, vscode.l10n.t('Continue training which run?')))?.id);
      if (id) await continueTraining(training, runs, id);
    }),
    register('seqlab.predictNext', async () => {
      const editor = vscode.window.activeTextEditor;
      const run = preview.activeRun();
      if (!editor || !run) return void vscode.window.showInformationMessage(vscode.l10n.t('Open a text file and train a text model first.'));
      const prompt = editor.document.getText(new vscode.Range(new vscode.Position(Math.max(0, editor.selection.active.line - 20), 0), editor.selection.active));
      try {
        const result = await engine.request('predict/next', { runDir: run.dir, prompt: prompt || ' ', topK: 10 });
        const picked = await vscode.window.showQuickPick(
          result.topK.map((t) => ({ label: JSON.stringify(t.token), description: `${(t.prob * 100).toFixed(1)}%`, token: t.token })),
          { placeHolder: vscode.l10n.t('Next-token probabilities at the cursor; pick one to insert it') },
        );
        if (picked) await editor.edit((edit) => edit.insert(editor.selection.active, picked.token));
      } catch (error) {
        void vscode.window.showErrorMessage((error as Error).message);
      }
    }),
    register('seqlab.generateText', async (arg?: unknown) => {
      const run = await pickRun(services, arg, isText, vscode.l10n.t('Generate with which text model?'));
      const dir = run && runs.runDir(run.id);
      if (!run || !dir) return;
      const editor = vscode.window.activeTextEditor;
      const seed = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
      const prompt = await vscode.window.showInputBox({
        title: vscode.l10n.t('Generate text with {0}', run.name),
        prompt: vscode.l10n.t('A prompt for the model to continue'),
        value: seed,
      });
      if (!prompt) return;
      try {
        const { text } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Generating…') }, () =>
          engine.request('predict/generate', { ...GENERATE_DEFAULTS, runDir: dir, prompt, length: 400, seed: Date.now() % 2 ** 31 }),
        );
        const document = await vscode.workspace.openTextDocument({ content: prompt + text, language: 'plaintext' });
        await vscode.window.showTextDocument(document, { preview: true });
      } catch (error) {
        void vscode.window.showErrorMessage((error as Error).message);
      }
    }),
    register('seqlab.forecast', async (arg?: unknown) => {
      if (arg instanceof vscode.Uri) {
        const result = await services.csvForecast.forecastFor(arg.fsPath).catch((error: Error) => void vscode.window.showErrorMessage(error.message));
        if (result) DashboardPanel.show(services, result.run.id);
        return;
      }
      const run = await pickRun(services, arg, isSeries, vscode.l10n.t('Forecast with which series model?'));
      if (run) DashboardPanel.show(services, run.id);
    }),
    register('seqlab.classifySelection', async (arg?: unknown) => {
      // From the Runs view, its run; from the editor (whose menu passes the file) with one classifier, that one; else the user picks.
      const runArg = arg instanceof vscode.Uri ? undefined : arg;
      const classifiers = runs.items().filter(isClassifier);
      const run =
        runArg === undefined && classifiers.length === 1
          ? classifiers[0]
          : await pickRun(services, runArg, isClassifier, vscode.l10n.t('Classify with which classifier?'));
      const dir = run && runs.runDir(run.id);
      if (!run || !dir) return;
      const editor = vscode.window.activeTextEditor;
      const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
      const text =
        selected || (await vscode.window.showInputBox({ title: vscode.l10n.t('Classify with {0}', run.name), prompt: vscode.l10n.t('A text to classify') }));
      if (!text?.trim()) return;
      try {
        const { labels, unknownTokens } = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Classifying…') },
          () => classifyText(engine, dir, text),
        );
        void vscode.window.showInformationMessage(vscode.l10n.t('SeqLab classifier {0}: {1}{2}', run.name, topLabels(labels), unknownNote(unknownTokens)));
      } catch (error) {
        void vscode.window.showErrorMessage((error as Error).message);
      }
    }),
    register('seqlab.selectPreviewModel', async (arg?: unknown) => {
      const run = await pickRun(services, arg, isText, vscode.l10n.t('Which text model continues your typing?'));
      if (run) await preview.choose(run.id);
    }),
    register('seqlab.togglePreview', async () => {
      const config = vscode.workspace.getConfiguration('seqlab.preview');
      await config.update('enabled', !config.get('enabled', true), vscode.ConfigurationTarget.Global);
    }),
    register('seqlab.openRunFolder', async (arg?: unknown) => {
      const run = await pickRun(services, arg, () => true, vscode.l10n.t('Reveal which run folder?'));
      const dir = run && runs.runDir(run.id);
      if (dir) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(dir));
    }),
    register('seqlab.deleteRun', async (arg?: unknown) => {
      const run = await pickRun(services, arg, (r) => r.status !== 'running', vscode.l10n.t('Delete which run?'));
      const dir = run && runs.runDir(run.id);
      if (!run || !dir) return;
      const remove = vscode.l10n.t('Delete');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('Delete the run "{0}" and its model? This cannot be undone.', run.name),
        { modal: true },
        remove,
      );
      if (answer !== remove) return;
      engine.forget(dir);
      fs.rmSync(dir, { recursive: true, force: true });
      log.info(`Deleted run ${dir}`);
      void runs.refresh();
    }),
    register('seqlab.showLog', () => log.show()),
  ];
}
