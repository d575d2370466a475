// Starts training runs from the editor, shows their progress (notification, status bar), and reports how they end.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { progressFraction } from '../shared/progress';
import type { TrainProgress } from '../shared/protocol';
import type { EngineHost, TrainingProcess } from './engineHost';
import type { Log } from './log';
import type { RunsModel } from './runsModel';
import { keyMetric } from './runsModel';
import { DEFAULTS, type TrainArgs } from '../shared/options';
import type { RunRecord } from '../shared/runFolder';

/** What to train on: a file, a text, or a run folder to continue from its last checkpoint. */
export type TrainingSource = { kind: 'file'; file: string } | { kind: 'text'; text: string; label: string } | { kind: 'run'; runDir: string; label: string };

/** A run that is training now. */
interface ActiveRun {
  process: TrainingProcess;
  label: string;
  runId?: string;
  progress?: TrainProgress;
}

/** Runs training processes and keeps the user informed; several runs can train at once. */
export class TrainingService implements vscode.Disposable {
  private readonly active = new Set<ActiveRun>();
  private readonly statusItem = vscode.window.createStatusBarItem('seqlab.training', vscode.StatusBarAlignment.Left, 50);
  private readonly progressed = new vscode.EventEmitter<TrainProgress>();
  /** Fires with every progress report of every running run. */
  readonly onProgress = this.progressed.event;
  private readonly started = new vscode.EventEmitter<string>();
  /** Fires with the run id once a run's folder exists and the runs listing has it. */
  readonly onRunStarted = this.started.event;

  constructor(
    private readonly engine: EngineHost,
    private readonly runs: RunsModel,
    private readonly log: Log,
  ) {
    this.statusItem.name = vscode.l10n.t('SeqLab Training');
    this.statusItem.command = 'seqlab.openDashboard';
  }

  /** Trains on a source with the given options; resolves with the final record, or undefined when no run was made. */
  async train(source: TrainingSource, args: Partial<TrainArgs>): Promise<RunRecord | undefined> {
    const label = source.kind === 'file' ? path.basename(source.file) : source.label;
    const what =
      source.kind === 'file' ? source.file : source.kind === 'text' ? `${label} (${source.text.length} characters)` : `${source.runDir}, continuing it`;
    this.log.info(`Training on ${what} with ${JSON.stringify(args)}`);
    const trainingProcess = this.engine.train(
      {
        file: source.kind === 'file' ? source.file : undefined,
        text: source.kind === 'text' ? source.text : undefined,
        resume: source.kind === 'run' ? source.runDir : undefined,
        args,
        runsDir: this.runs.runsDir,
        name: source.kind === 'run' ? undefined : `${label}-${args.cell ?? DEFAULTS.cell}`,
      },
      {
        onCreated: (_runDir, record) => {
          run.runId = record.id;
          // Listed first, so that the dashboard can select it.
          void this.runs.refresh(true).then(() => this.started.fire(record.id));
        },
        onProgress: (progress) => {
          run.progress = progress;
          this.progressed.fire(progress);
          this.updateStatus();
        },
        onNote: (message) => this.log.info(`[${label}] ${message}`),
      },
    );
    const run: ActiveRun = { label, process: trainingProcess };
    this.active.add(run);
    this.updateStatus();
    const end = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('SeqLab: training on {0}', label), cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => run.process.cancel());
        let reported = 0;
        const listener = this.onProgress((p) => {
          if (p.runId !== run.runId) return;
          const percent = progressFraction(p) * 100;
          progress.report({ increment: percent - reported, message: describeProgress(p) });
          reported = percent;
        });
        try {
          return await run.process.done;
        } finally {
          listener.dispose();
        }
      },
    );
    this.active.delete(run);
    this.updateStatus();
    void this.runs.refresh();
    return this.reportEnd(end, label);
  }

  private reportEnd(end: Awaited<TrainingProcess['done']>, label: string): RunRecord | undefined {
    const showLog = vscode.l10n.t('Show Log');
    const openDashboard = vscode.l10n.t('Open Dashboard');
    const continueTraining = vscode.l10n.t('Continue Training');
    const onChoice = (choice: string | undefined) => {
      if (choice === showLog) this.log.show();
      if (choice === openDashboard) void vscode.commands.executeCommand('seqlab.openDashboard');
      if (choice === continueTraining && end.kind === 'finished') void vscode.commands.executeCommand('seqlab.continueTraining', end.record.id);
    };
    if (end.kind === 'refused') {
      this.log.error(`[${label}] ${end.message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('SeqLab could not train on {0}: {1}', label, end.message), showLog).then(onChoice);
      return undefined;
    }
    if (end.kind === 'crashed') {
      this.log.error(`[${label}] ${end.message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('SeqLab: training on {0} failed. {1}', label, end.message), showLog).then(onChoice);
      return undefined;
    }
    const { record } = end;
    if (record.status === 'failed') {
      this.log.error(`[${label}] ${record.message}`);
      void vscode.window
        .showErrorMessage(vscode.l10n.t('SeqLab: training on {0} failed. {1}', label, record.message ?? ''), showLog, openDashboard)
        .then(onChoice);
    } else {
      const metric = keyMetric(record);
      const status = record.status === 'cancelled' ? vscode.l10n.t('stopped') : vscode.l10n.t('finished');
      // The engine's reason ("Reached the time budget of 60 s.") says why it ended; Continue Training picks up from there.
      const text = `${vscode.l10n.t('SeqLab: {0} {1}{2}.', label, status, metric ? ` (${metric})` : '')}${record.message ? ` ${record.message}` : ''}`;
      void vscode.window.showInformationMessage(text, continueTraining, openDashboard).then(onChoice);
    }
    return record;
  }

  /** Stops runs: the one with this id, or all. Training ends between batches and keeps its best checkpoint. */
  stop(runId?: string): number {
    let stopped = 0;
    for (const run of this.active) {
      if (runId === undefined || run.runId === runId) {
        run.process.cancel();
        stopped++;
      }
    }
    return stopped;
  }

  /** The ids of running runs, with their labels. */
  running(): { runId: string | undefined; label: string; pid: number | undefined }[] {
    return [...this.active].map((r) => ({ runId: r.runId, label: r.label, pid: r.process.pid }));
  }

  /** Kills a run's process outright (for testing crash recovery). */
  kill(runId: string): boolean {
    const run = [...this.active].find((r) => r.runId === runId);
    run?.process.kill();
    return Boolean(run);
  }

  private updateStatus(): void {
    void vscode.commands.executeCommand('setContext', 'seqlab.training', this.active.size > 0);
    if (this.active.size === 0) {
      this.statusItem.hide();
      return;
    }
    const runs = [...this.active];
    const first = runs[0].progress;
    this.statusItem.text = first
      ? `$(pulse) ${vscode.l10n.t('SeqLab: epoch {0} loss {1}', first.epoch.toFixed(1), first.trainLoss.toFixed(3))}${runs.length > 1 ? ` +${runs.length - 1}` : ''}`
      : `$(loading~spin) ${vscode.l10n.t('SeqLab: starting')}`;
    this.statusItem.tooltip = runs.map((r) => `${r.label}: ${r.progress ? describeProgress(r.progress) : vscode.l10n.t('starting')}`).join('\n');
    this.statusItem.show();
  }

  dispose(): void {
    this.statusItem.dispose();
    this.progressed.dispose();
    this.started.dispose();
  }
}

function describeProgress(p: TrainProgress): string {
  const eta = p.etaSeconds !== null ? `, ${vscode.l10n.t('{0}s left', p.etaSeconds)}` : '';
  const val = p.valLoss !== null ? `, val ${p.valLoss.toFixed(3)}` : '';
  const epoch = p.epochs > 0 ? vscode.l10n.t('epoch {0}/{1}', p.epoch.toFixed(1), p.epochs) : vscode.l10n.t('epoch {0}', p.epoch.toFixed(1));
  return `${epoch}, loss ${p.trainLoss.toFixed(3)}${val}, ${Math.round(p.throughput)} ${p.throughputUnit}${eta}`;
}
