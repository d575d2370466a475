// The metrics card: the model beside its baselines (best value per column highlighted) and the run's facts.
import type { RunListItem, RunSummary, SeriesMetrics, TextMetrics } from '../src/shared/protocol';
import { h, replaceChildren } from './dom';
import { cellLabel, formatDuration, formatInteger, formatNumber, formatPercent } from './format';

/** A metrics column: how to read and show a value, and which direction is better. */
interface Column<M> {
  label: string;
  title: string;
  read: (metrics: M) => number | null;
  format: (value: number | null) => string;
  better: 'lower' | 'higher';
}

/** A table row: a model or a baseline with its metrics (null when the baseline does not apply). */
interface Row<M> {
  label: string;
  metrics: M | null;
  isModel: boolean;
}

const TEXT_COLUMNS: Column<TextMetrics>[] = [
  { label: 'Val loss', title: 'Cross-entropy on the validation split, nats per token', read: (m) => m.valLoss, format: (v) => formatNumber(v), better: 'lower' },
  { label: 'Perplexity', title: 'exp(loss): the effective number of choices per token', read: (m) => m.perplexity, format: (v) => formatNumber(v), better: 'lower' },
  { label: 'Bits/char', title: 'Bits per character (character tokens only)', read: (m) => m.bitsPerChar, format: (v) => formatNumber(v), better: 'lower' },
  { label: 'Accuracy', title: 'Top-1 next-token accuracy', read: (m) => m.accuracy, format: (v) => formatPercent(v), better: 'higher' },
];

const SERIES_COLUMNS: Column<SeriesMetrics>[] = [
  { label: 'MAE', title: 'Mean absolute error, in the target’s units', read: (m) => m.mae, format: (v) => formatNumber(v), better: 'lower' },
  { label: 'RMSE', title: 'Root mean squared error, in the target’s units', read: (m) => m.rmse, format: (v) => formatNumber(v), better: 'lower' },
  { label: 'sMAPE', title: 'Symmetric mean absolute percentage error', read: (m) => m.smape, format: (v) => (v === null ? '—' : `${formatNumber(v, 3)}%`), better: 'lower' },
  { label: 'MASE', title: 'Mean absolute scaled error: below 1 beats the in-sample naive forecast', read: (m) => m.mase, format: (v) => formatNumber(v, 3), better: 'lower' },
];

/** The metrics card of the selected run. */
export class MetricsPanel {
  /** The section to place in the page. */
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly heading: HTMLElement;

  /** Builds the (empty) card. */
  constructor() {
    this.heading = h('h2', { id: 'metrics-heading' }, 'Metrics');
    this.body = h('div', { class: 'card-body' });
    this.element = h('section', { class: 'card', id: 'metrics-section', 'aria-labelledby': 'metrics-heading' }, h('header', { class: 'card-header' }, this.heading), this.body);
  }

  /** Shows a run's metrics (or why there are none yet) and its facts. */
  show(run: RunListItem): void {
    this.heading.textContent = run.summary?.task === 'series' ? 'Metrics on the test split' : run.summary?.task === 'text' ? 'Metrics on the validation split' : 'Metrics';
    replaceChildren(
      this.body,
      h('div', { class: 'metrics-layout' }, run.summary ? metricsTable(run.summary, run.cell) : h('p', { class: 'muted', id: 'metrics-pending' }, pendingText(run)), factsList(run)),
    );
  }
}

function pendingText(run: RunListItem): string {
  if (run.status === 'running') return 'The model and its baselines are compared when training ends.';
  if (run.status === 'corrupt') return 'No metrics: the run folder could not be read.';
  return 'No metrics were recorded for this run.';
}

function metricsTable(summary: RunSummary, cell: string | null): HTMLElement {
  const model = `Model (${cellLabel(cell) || 'RNN'})`;
  if (summary.task === 'text') {
    const rows: Row<TextMetrics>[] = [
      { label: model, metrics: summary.metrics, isModel: true },
      { label: 'Bigram baseline', metrics: summary.baselines.bigram, isModel: false },
    ];
    const columns = TEXT_COLUMNS.filter((column) => rows.some((row) => row.metrics && column.read(row.metrics) !== null));
    return table(columns, rows, `${formatInteger(summary.metrics.tokens)} validation tokens`);
  }
  const rows: Row<SeriesMetrics>[] = [
    { label: model, metrics: summary.metrics, isModel: true },
    { label: 'Naive (last value)', metrics: summary.baselines.naive, isModel: false },
    { label: 'Seasonal naive', metrics: summary.baselines.seasonalNaive, isModel: false },
  ];
  return table(SERIES_COLUMNS, rows, `Backtest from ${formatInteger(summary.origins)} forecast origins`);
}

function table<M>(columns: Column<M>[], rows: Row<M>[], caption: string): HTMLElement {
  const best = columns.map((column) => bestValue(column, rows));
  const header = h('tr', {}, h('th', { scope: 'col' }, 'Model'), ...columns.map((column) => h('th', { scope: 'col', title: column.title, class: 'num' }, column.label, h('span', { class: 'direction', 'aria-label': `${column.better} is better` }, column.better === 'lower' ? ' ↓' : ' ↑'))));
  const bodyRows = rows.map((row) =>
    h(
      'tr',
      { class: row.isModel ? 'model-row' : 'baseline-row' },
      h('th', { scope: 'row' }, row.label),
      ...columns.map((column, index) => {
        if (!row.metrics) return h('td', { class: 'num muted', title: 'Not applicable: no season was found or given' }, 'n/a');
        const value = column.read(row.metrics);
        const isBest = value !== null && value === best[index];
        return h('td', { class: `num${isBest ? ' best' : ''}` }, column.format(value), isBest ? h('span', { class: 'visually-hidden' }, ' (best)') : null);
      }),
    ),
  );
  return h('div', { class: 'metrics-table-wrap' }, h('table', { id: 'metrics-table', class: 'metrics-table' }, h('caption', {}, caption), h('thead', {}, header), h('tbody', {}, ...bodyRows)));
}

function bestValue<M>(column: Column<M>, rows: Row<M>[]): number | null {
  const values = rows.flatMap((row) => (row.metrics ? [column.read(row.metrics)] : [])).filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length < 2) return null;
  return column.better === 'lower' ? Math.min(...values) : Math.max(...values);
}

/** The known facts of a run; while it trains, the header shows its live progress instead of the saved one. */
function factsList(run: RunListItem): HTMLElement {
  const progress = run.status === 'running' ? null : run.progress;
  const facts: [string, string | null][] = [
    ['Backend', run.backend],
    ['Parameters', run.params === null ? null : formatInteger(run.params)],
    ['Steps', progress ? formatInteger(progress.step) : null],
    ['Epochs', progress ? formatNumber(progress.epoch, 3) : null],
    ['Training time', progress ? formatDuration(progress.seconds) : null],
    ['Best val loss', progress?.bestValLoss === null || progress?.bestValLoss === undefined ? null : `${formatNumber(progress.bestValLoss)} at step ${formatInteger(progress.bestStep)}`],
  ];
  const known = facts.filter((fact): fact is [string, string] => fact[1] !== null);
  return h('dl', { id: 'run-facts', class: 'facts' }, ...known.map(([label, value]) => h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value))));
}
