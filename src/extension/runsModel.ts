// The runs on disk as the extension sees them: listing, watching for changes, and the summary shown for each run.
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { listRuns, readMetricsFrom, type RunListing } from '../engine/runStore';
import type { ForecastChart, MetricsLine, RunListItem, RunRecord } from '../shared/protocol';
import { resolveRunDir } from './runPath';

/** The runs folder, watched: fires `onDidChange` when runs appear, progress or disappear. */
export class RunsModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires (debounced) when anything in the runs folder changes. */
  readonly onDidChange = this.changed.event;
  private readonly watcher: vscode.FileSystemWatcher;
  private timer: NodeJS.Timeout | undefined;
  private cache: RunListing[] | undefined;

  constructor(readonly runsDir: string) {
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(runsDir), '*/run.json'));
    for (const event of [this.watcher.onDidCreate, this.watcher.onDidChange, this.watcher.onDidDelete]) event(() => this.refresh());
    this.onDidChange(() => this.updateContextKeys());
    this.updateContextKeys();
  }

  /** The `when`-clause keys that show or hide commands which need runs. */
  private updateContextKeys(): void {
    const items = this.items();
    void vscode.commands.executeCommand('setContext', 'seqlab.hasRuns', items.length > 0);
    void vscode.commands.executeCommand(
      'setContext',
      'seqlab.hasSeriesRun',
      items.some((r) => r.task === 'series' && r.status !== 'running' && r.status !== 'corrupt'),
    );
  }

  /** Re-reads the runs soon (coalescing bursts of file events), or at once when `now`. */
  refresh(now = false): void {
    clearTimeout(this.timer);
    const reload = () => {
      this.cache = undefined;
      this.changed.fire();
    };
    if (now) reload();
    else this.timer = setTimeout(reload, 200);
  }

  /** Every run folder, newest first; unreadable ones are listed as corrupt. */
  listings(): RunListing[] {
    this.cache ??= listRuns(this.runsDir);
    return this.cache;
  }

  /** The runs as the dashboard and the tree show them. */
  items(): RunListItem[] {
    return this.listings().map(toListItem);
  }

  /**
   * The folder of a run id, only if it is a run directly inside the runs folder: ids from the webview
   * or a command argument never reach the file system otherwise (no `..`, no absolute paths, no symlinks out).
   */
  runDir(id: string): string | undefined {
    return resolveRunDir(this.runsDir, id);
  }

  /** A readable run's record. */
  record(id: string): RunRecord | undefined {
    const listing = this.listings().find((r) => path.basename(r.dir) === id);
    return listing?.ok ? listing.record : undefined;
  }

  /** A run's metrics lines after byte `offset`, and the offset to continue from. */
  metrics(id: string, offset = 0): { lines: MetricsLine[]; offset: number } {
    const dir = this.runDir(id);
    return dir ? readMetricsFrom(dir, offset) : { lines: [], offset };
  }

  /** A series run's forecast chart, when written. */
  forecastChart(id: string): ForecastChart | undefined {
    const dir = this.runDir(id);
    const file = dir && path.join(dir, 'forecast.json');
    if (!file || !fs.existsSync(file)) return undefined;
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as ForecastChart;
    } catch {
      return undefined;
    }
  }

  /** Series runs trained on a file, newest first. */
  seriesRunsFor(file: string): RunRecord[] {
    return this.listings().flatMap((r) =>
      r.ok && r.record.task === 'series' && r.record.status !== 'running' && r.record.source.path === file ? [r.record] : [],
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.watcher.dispose();
    this.changed.dispose();
  }
}

/** The key figure of a run: bits per char (or perplexity) for text, MASE (or MAE) for series. */
export function keyMetric(record: RunRecord): string | null {
  const summary = record.summary;
  if (!summary) return record.progress.bestValLoss !== null ? `val ${record.progress.bestValLoss.toFixed(3)}` : null;
  if (summary.task === 'text')
    return summary.metrics.bitsPerChar !== null ? `${summary.metrics.bitsPerChar.toFixed(2)} bpc` : `ppl ${summary.metrics.perplexity.toFixed(1)}`;
  return summary.metrics.mase !== null ? `MASE ${summary.metrics.mase.toFixed(2)}` : `MAE ${summary.metrics.mae.toPrecision(3)}`;
}

function toListItem(listing: RunListing): RunListItem {
  if (!listing.ok) {
    return {
      id: listing.id,
      name: listing.id,
      status: 'corrupt',
      task: null,
      cell: null,
      createdAt: null,
      message: listing.problem,
      keyMetric: null,
      summary: null,
      progress: null,
      backend: null,
      params: null,
      textValidation: null,
    };
  }
  const r = listing.record;
  return {
    id: r.id,
    name: r.name ?? r.id,
    status: r.status,
    task: r.task,
    cell: r.config.cell,
    createdAt: r.createdAt,
    message: r.message ?? null,
    keyMetric: keyMetric(r),
    summary: r.summary ?? null,
    progress: r.progress,
    backend: r.threads && r.threads > 1 ? `${r.backend}, ${r.threads} threads` : r.backend,
    params: r.params,
    textValidation:
      r.data.kind === 'text'
        ? { splitTokens: r.data.valTokens, sampleTokens: r.config.maxEvalItems, seqLen: r.data.seqLen, characters: r.data.tokens === 'char' }
        : null,
  };
}
