// Terminal output for the CLI: a progress bar on a TTY, plain throttled lines otherwise, and metric tables.
import { progressFraction } from '../shared/progress';
import type { TrainProgress } from '../shared/protocol';
import type { ClassifyMetrics, RunSummary, SeriesMetrics, TextMetrics } from '../shared/runFolder';

/** Plain progress lines are printed at most this often (ms) when stderr is not a terminal. */
const PLAIN_INTERVAL_MS = 2000;

/** Writes training progress to a stream. */
export class ProgressPrinter {
  private lastPlain = 0;
  private barShown = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  progress(p: TrainProgress): void {
    const line = `epoch ${p.epoch.toFixed(2)}${p.epochs > 0 ? `/${p.epochs}` : ''} step ${p.step} loss ${p.trainLoss.toFixed(4)} val ${p.valLoss === null ? '-' : p.valLoss.toFixed(4)} ${Math.round(p.throughput)} ${p.throughputUnit}${p.etaSeconds === null ? '' : ` eta ${formatSeconds(p.etaSeconds)}`}`;
    if (this.stream.isTTY) {
      const width = 24;
      const filled = Math.round(progressFraction(p) * width);
      this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${line}\x1b[K`);
      this.barShown = true;
    } else if (Date.now() - this.lastPlain >= PLAIN_INTERVAL_MS) {
      this.lastPlain = Date.now();
      this.stream.write(line + '\n');
    }
  }

  note(message: string): void {
    this.done();
    this.stream.write(message + '\n');
  }

  /** Ends the progress bar's line. */
  done(): void {
    if (this.barShown) this.stream.write('\n');
    this.barShown = false;
  }
}

function formatSeconds(seconds: number): string {
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s` : `${Math.round(seconds)}s`;
}

/** The metrics of the model beside its baselines, as a table (for a classifier, with the model's confusion matrix). */
export function formatSummary(summary: RunSummary): string {
  if (summary.task === 'classify') return formatClassifySummary(summary);
  const rows: [string, TextMetrics | SeriesMetrics | null][] =
    summary.task === 'text'
      ? [
          ...(summary.scorings
            ? ([
                ['model, carried', summary.scorings.carried],
                ['model, reset', summary.scorings.reset],
              ] as [string, TextMetrics][])
            : ([['model', summary.metrics]] as [string, TextMetrics][])),
          ['bigram', summary.baselines.bigram],
        ]
      : [
          ['model', summary.metrics],
          ['naive', summary.baselines.naive],
          ['seasonal naive', summary.baselines.seasonalNaive],
          ['ETS', summary.baselines.ets ?? null],
        ];
  const columns = summary.task === 'text' ? (['valLoss', 'perplexity', 'bitsPerChar', 'accuracy'] as const) : (['mae', 'rmse', 'smape', 'mase'] as const);
  const header = ''.padEnd(16) + columns.map((c) => c.padStart(12)).join('');
  const body = rows.map(
    ([name, m]) => name.padEnd(16) + columns.map((c) => formatValue(m ? (m as unknown as Record<string, number | null>)[c] : null).padStart(12)).join(''),
  );
  return [header, ...body].join('\n');
}

/** A classifier's table (model, majority, naive Bayes: accuracy, macro-F1, log loss) and its confusion matrix, actual classes by row. */
function formatClassifySummary(summary: Extract<RunSummary, { task: 'classify' }>): string {
  const rows: [string, ClassifyMetrics][] = [
    ['model', summary.metrics],
    ['majority', summary.baselines.majority],
    ['naive Bayes', summary.baselines.naiveBayes],
  ];
  const table = [
    ''.padEnd(16) + ['accuracy', 'macro-F1', 'log loss'].map((c) => c.padStart(12)).join(''),
    ...rows.map(([name, m]) => name.padEnd(16) + [m.accuracy, m.macroF1, m.logLoss].map((v) => formatValue(v).padStart(12)).join('')),
  ];
  const { labels, matrix } = summary.metrics.confusion;
  const width = Math.max(8, ...labels.map((label) => label.length + 2), ...matrix.flat().map((count) => String(count).length + 2));
  const confusion = [
    'Confusion matrix (rows: actual, columns: predicted):',
    ''.padEnd(16) + labels.map((label) => label.padStart(width)).join(''),
    ...labels.map((label, a) => label.slice(0, 15).padEnd(16) + matrix[a].map((count) => String(count).padStart(width)).join('')),
  ];
  return [...table, '', ...confusion].join('\n');
}

function formatValue(value: number | null): string {
  return value === null || value === undefined ? '-' : Math.abs(value) >= 1000 ? value.toFixed(0) : value.toPrecision(4);
}
