// The runs on disk as the extension sees them: listing (read asynchronously), watching for changes, and the summary shown for each run.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Task } from '../shared/options';
import type { RunListItem } from '../shared/protocol';
import { describeImport, hasUsableModel, type ForecastChart, type MetricsLine, type RunRecord } from '../shared/runFolder';
import { MetricsTail, readForecastChart, RunsFolder, type RunListing } from './runFiles';
import { resolveRunDir } from './runPath';

/** Wait after a file event before re-reading, to coalesce the bursts that training writes. */
const DEBOUNCE_MS = 200;

/** The runs folder, watched: fires `onDidChange` when runs appear, progress or disappear. */
export class RunsModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires once the runs folder has first been read, then whenever a refresh finds the runs changed. */
  readonly onDidChange = this.changed.event;
  private readonly watcher: vscode.FileSystemWatcher;
  private readonly folder: RunsFolder;
  private listItems: RunListItem[] = [];
  private isLoaded = false;
  private timer: NodeJS.Timeout | undefined;
  /** Resolves the callers of a debounced {@link refresh} once the scan it leads to is done. */
  private waiting: (() => void)[] = [];

  constructor(readonly runsDir: string) {
    this.folder = new RunsFolder(runsDir, () => {
      this.listItems = this.folder.listings.map(toListItem);
      if (this.isLoaded) this.changed.fire();
    });
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(runsDir), '*/run.json'));
    for (const event of [this.watcher.onDidCreate, this.watcher.onDidChange, this.watcher.onDidDelete]) event(() => void this.refresh());
    this.onDidChange(() => this.updateContextKeys());
    this.updateContextKeys();
    void this.refresh(true).then(() => {
      this.isLoaded = true;
      this.changed.fire();
    });
  }

  /** Whether the runs folder has been read: until then the listing is empty, though runs may exist. */
  get loaded(): boolean {
    return this.isLoaded;
  }

  /** The `when`-clause keys that show or hide commands which need runs. */
  private updateContextKeys(): void {
    const items = this.items();
    void vscode.commands.executeCommand('setContext', 'seqlab.hasRuns', items.length > 0);
    void vscode.commands.executeCommand(
      'setContext',
      'seqlab.hasSeriesRun',
      items.some((r) => r.task === 'series' && hasUsableModel(r)),
    );
    void vscode.commands.executeCommand(
      'setContext',
      'seqlab.hasClassifyRun',
      items.some((r) => r.task === 'classify' && hasUsableModel(r)),
    );
  }

  /**
   * Re-reads the runs soon (coalescing bursts of file events), or at once when `now`: only run.json files that
   * changed are read again. Resolves once the listing is current; `onDidChange` fires first if anything changed.
   */
  refresh(now = false): Promise<void> {
    clearTimeout(this.timer);
    const done = new Promise<void>((resolve) => this.waiting.push(resolve));
    const scan = () => {
      const waiting = this.waiting.splice(0);
      void this.folder.scan().then(() => waiting.forEach((resolve) => resolve()));
    };
    if (now) scan();
    else this.timer = setTimeout(scan, DEBOUNCE_MS);
    return done;
  }

  /** Every run folder as of the latest refresh, newest first; unreadable ones are listed as corrupt. */
  listings(): readonly RunListing[] {
    return this.folder.listings;
  }

  /** The runs as the dashboard and the tree show them, as of the latest refresh. */
  items(): RunListItem[] {
    return this.listItems;
  }

  /**
   * The folder of a run id, only if it is a run directly inside the runs folder: ids from the webview
   * or a command argument never reach the file system otherwise (no `..`, no absolute paths, no symlinks out).
   */
  runDir(id: string): string | undefined {
    return resolveRunDir(this.runsDir, id);
  }

  /** A readable run's record, as of the latest refresh. */
  record(id: string): RunRecord | undefined {
    const listing = this.listings().find((r) => path.basename(r.dir) === id);
    return listing?.ok ? listing.record : undefined;
  }

  /**
   * A tail of a run's metrics for a chart: `load()` delivers them thinned as a reset, `poll()` what was appended
   * since; undefined when the run does not exist.
   */
  metricsTail(id: string, deliver: (lines: MetricsLine[], reset: boolean) => void): MetricsTail | undefined {
    const dir = this.runDir(id);
    return dir ? MetricsTail.of(dir, deliver) : undefined;
  }

  /** A series run's forecast chart, when written. */
  async forecastChart(id: string): Promise<ForecastChart | undefined> {
    const dir = this.runDir(id);
    return dir ? readForecastChart(dir) : undefined;
  }

  /** Series runs trained on a file, newest first, as of the latest refresh. */
  seriesRunsFor(file: string): RunRecord[] {
    return this.usableRunsFor('series', file);
  }

  /** Classify runs trained on a file, newest first, as of the latest refresh. */
  classifyRunsFor(file: string): RunRecord[] {
    return this.usableRunsFor('classify', file);
  }

  /** Runs of a task with a usable model, trained on a file, newest first. */
  private usableRunsFor(task: Task, file: string): RunRecord[] {
    return this.listings().flatMap((r) => (r.ok && r.record.task === task && hasUsableModel(r.record) && r.record.source.path === file ? [r.record] : []));
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const resolve of this.waiting.splice(0)) resolve();
    this.watcher.dispose();
    this.changed.dispose();
  }
}

/** The key figure of a run: bits per char (or perplexity) for text, MASE (or MAE) for series, macro-F1 for a classifier. */
export function keyMetric(record: RunRecord): string | null {
  const summary = record.summary;
  if (!summary) return record.progress.bestValLoss !== null ? `val ${record.progress.bestValLoss.toFixed(3)}` : null;
  if (summary.task === 'text')
    return summary.metrics.bitsPerChar !== null ? `${summary.metrics.bitsPerChar.toFixed(2)} bpc` : `ppl ${summary.metrics.perplexity.toFixed(1)}`;
  if (summary.task === 'classify') return `macro-F1 ${summary.metrics.macroF1.toFixed(2)}`;
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
      importedFrom: null,
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
    importedFrom: r.importedFrom ? describeImport(r.importedFrom) : null,
  };
}
