// The metrics card: the model beside its baselines (best value per column highlighted) and the run's facts.
import type { RunListItem, TextValidationFacts } from '../src/shared/protocol';
import { h, replaceChildren } from './dom';
import { cellLabel, formatDuration, formatInteger, formatNumber, formatPercent } from './format';
import { forecasterLabels, seasonalNaiveLabel, seriesForecasters, type ForecasterKey } from './forecasters';
import { heldOutScope, trainingValidationScope } from './validation';
import type { ClassifyMetrics, IntervalMetrics, RunSummary, SeriesMetrics, TextMetrics } from '../src/shared/runFolder';

/** A metrics column: how to read and show a value, and which direction is better ("closest": nearest to `target`). */
interface Column<M> {
  label: string;
  title: string;
  read: (metrics: M) => number | null;
  format: (value: number | null) => string;
  better: 'lower' | 'higher' | 'closest';
  /** The value `closest` aims at (an interval's nominal coverage). */
  target?: number;
  /** The heading over a group of columns (an interval level), for a two-row header. */
  group?: string;
}

/** A table row: a model or a baseline with its metrics (null when the baseline does not apply, `missing` says why). */
interface Row<M> {
  label: string;
  metrics: M | null;
  isModel: boolean;
  missing?: string;
}

const TEXT_COLUMNS: Column<TextMetrics>[] = [
  {
    label: 'Held-out loss',
    title: 'Cross-entropy of the best checkpoint on the held-out validation split, nats per token',
    read: (m) => m.valLoss,
    format: (v) => formatNumber(v),
    better: 'lower',
  },
  {
    label: 'Perplexity',
    title: 'exp(loss): the effective number of choices per token',
    read: (m) => m.perplexity,
    format: (v) => formatNumber(v),
    better: 'lower',
  },
  { label: 'Bits/char', title: 'Bits per character (character tokens only)', read: (m) => m.bitsPerChar, format: (v) => formatNumber(v), better: 'lower' },
  { label: 'Accuracy', title: 'Top-1 next-token accuracy', read: (m) => m.accuracy, format: (v) => formatPercent(v), better: 'higher' },
];

const SERIES_COLUMNS: Column<SeriesMetrics>[] = [
  { label: 'MAE', title: 'Mean absolute error, in the target’s units', read: (m) => m.mae, format: (v) => formatNumber(v), better: 'lower' },
  { label: 'RMSE', title: 'Root mean squared error, in the target’s units', read: (m) => m.rmse, format: (v) => formatNumber(v), better: 'lower' },
  {
    label: 'sMAPE',
    title: 'Symmetric mean absolute percentage error',
    read: (m) => m.smape,
    format: (v) => (v === null ? '—' : `${formatNumber(v, 3)}%`),
    better: 'lower',
  },
  {
    label: 'MASE',
    title: 'Mean absolute scaled error: below 1 beats the in-sample naive forecast',
    read: (m) => m.mase,
    format: (v) => formatNumber(v, 3),
    better: 'lower',
  },
];

const CLASSIFY_COLUMNS: Column<ClassifyMetrics>[] = [
  {
    label: 'Accuracy',
    title: 'Share of the test rows whose most likely class is theirs',
    read: (m) => m.accuracy,
    format: (v) => formatPercent(v),
    better: 'higher',
  },
  {
    label: 'Macro-F1',
    title: 'The mean of the classes’ F1 scores: each class counts the same, however rare',
    read: (m) => m.macroF1,
    format: (v) => formatNumber(v, 3),
    better: 'higher',
  },
  {
    label: 'Log loss',
    title: 'Mean −log p(true class), nats: how much probability the right class got',
    read: (m) => m.logLoss,
    format: (v) => formatNumber(v),
    better: 'lower',
  },
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
    this.element = h(
      'section',
      { class: 'card', id: 'metrics-section', 'aria-labelledby': 'metrics-heading' },
      h('header', { class: 'card-header' }, this.heading),
      this.body,
    );
  }

  /** Shows a run's metrics (or why there are none yet) and its facts. */
  show(run: RunListItem): void {
    const task = run.summary?.task;
    this.heading.textContent = task === 'text' ? 'Metrics on the validation split' : task ? 'Metrics on the test split' : 'Metrics';
    replaceChildren(
      this.body,
      h(
        'div',
        { class: 'metrics-layout' },
        run.summary ? metricsTable(run.summary, run.cell, run.textValidation) : h('p', { class: 'muted', id: 'metrics-pending' }, pendingText(run)),
        factsList(run),
      ),
    );
  }
}

function pendingText(run: RunListItem): string {
  if (run.status === 'running') return 'The model and its baselines are compared when training ends.';
  if (run.status === 'corrupt') return 'No metrics: the run folder could not be read.';
  return 'No metrics were recorded for this run.';
}

function metricsTable(summary: RunSummary, cell: string | null, validation: TextValidationFacts | null): HTMLElement {
  const model = `Model (${cellLabel(cell) || 'RNN'})`;
  if (summary.task === 'text') {
    const rows: Row<TextMetrics>[] = [
      { label: model, metrics: summary.metrics, isModel: true },
      { label: 'Bigram baseline', metrics: summary.baselines.bigram, isModel: false },
    ];
    const columns = TEXT_COLUMNS.filter((column) => rows.some((row) => row.metrics && column.read(row.metrics) !== null));
    return h(
      'div',
      { class: 'metrics-table-wrap' },
      table(columns, rows, { id: 'metrics-table', caption: `Scored on ${heldOutScope(summary.metrics.tokens, validation)}` }),
    );
  }
  if (summary.task === 'classify') {
    const rows: Row<ClassifyMetrics>[] = [
      { label: model, metrics: summary.metrics, isModel: true },
      { label: 'Majority class', metrics: summary.baselines.majority, isModel: false },
      { label: 'Naive Bayes', metrics: summary.baselines.naiveBayes, isModel: false },
    ];
    const { labels, matrix } = summary.metrics.confusion;
    const testRows = matrix.reduce((sum, row) => sum + row.reduce((rowSum, count) => rowSum + count, 0), 0);
    return h(
      'div',
      { class: 'metrics-table-wrap' },
      table(CLASSIFY_COLUMNS, rows, {
        id: 'metrics-table',
        caption: `${formatInteger(testRows)} test rows in ${formatInteger(labels.length)} classes. Majority class: always the most common training class; naive Bayes: over the texts’ words and word pairs.`,
      }),
    );
  }
  const labels: Record<ForecasterKey, string> = { model, naive: 'Naive (last value)', seasonalNaive: seasonalNaiveLabel(summary), ets: 'ETS (Holt-Winters)' };
  const missing: Partial<Record<ForecasterKey, string>> = {
    seasonalNaive: 'Not applicable: no season was found or given',
    ets: 'Not available: the ETS model could not be fitted to the training split',
  };
  const forecasters = seriesForecasters(summary);
  const rows = (names: Record<ForecasterKey, string>): Row<SeriesMetrics>[] =>
    forecasters.map(({ key, metrics }) => ({ label: names[key], metrics, isModel: key === 'model', missing: missing[key] }));
  const wrap = h(
    'div',
    { class: 'metrics-table-wrap' },
    table(SERIES_COLUMNS, rows(labels), { id: 'metrics-table', caption: `Backtest from ${formatInteger(summary.origins)} forecast origins` }),
  );
  const levels = intervalLevels(forecasters.map((forecaster) => forecaster.metrics));
  if (levels.length) {
    // Under the metrics table, with the short names (same rows, same order) so it fits a narrow panel.
    const intervals = table(intervalColumns(levels), rows({ ...forecasterLabels(summary), model, seasonalNaive: 'Seasonal naive' }), {
      id: 'intervals-table',
      caption:
        'Prediction intervals on the test split. Coverage: the share of values inside, best closest to the level; width and Winkler score (the width plus a penalty per miss): lower is better.',
    });
    intervals.style.marginTop = '14px';
    wrap.append(intervals);
  }
  return wrap;
}

/** The interval levels (percent) any forecaster has, in increasing order. */
function intervalLevels(metrics: (SeriesMetrics | null)[]): string[] {
  const levels = new Set(metrics.flatMap((m) => Object.keys(m?.intervals ?? {})));
  return [...levels].filter((level) => Number.isFinite(Number(level))).sort((a, b) => Number(a) - Number(b));
}

/** Coverage, mean width and Winkler score for each interval level. */
function intervalColumns(levels: string[]): Column<SeriesMetrics>[] {
  return levels.flatMap((level): Column<SeriesMetrics>[] => {
    const group = `${level}% interval`;
    const read = (key: keyof IntervalMetrics) => (m: SeriesMetrics) => m.intervals?.[level]?.[key] ?? null;
    return [
      {
        group,
        label: 'Coverage',
        title: `Share of test values inside the ${level}% interval: best is closest to ${level}%`,
        read: read('coverage'),
        format: (v) => formatPercent(v),
        better: 'closest',
        target: Number(level) / 100,
      },
      {
        group,
        label: 'Width',
        title: `Mean width of the ${level}% interval, in the target’s units`,
        read: read('width'),
        format: (v) => formatNumber(v),
        better: 'lower',
      },
      {
        group,
        label: 'Winkler',
        title: `Mean Winkler score of the ${level}% interval: the width plus a penalty for each miss; lower is better`,
        read: read('winkler'),
        format: (v) => formatNumber(v),
        better: 'lower',
      },
    ];
  });
}

const DIRECTION_MARKS: Record<Column<unknown>['better'], { mark: string; words: string }> = {
  lower: { mark: ' ↓', words: 'lower is better' },
  higher: { mark: ' ↑', words: 'higher is better' },
  closest: { mark: ' ≈', words: 'closest to the level is better' },
};

/** A column's header; grouped (interval) columns leave out the direction mark to fit a narrow panel, their caption says it. */
function headerCell<M>(column: Column<M>): HTMLElement {
  const direction = DIRECTION_MARKS[column.better];
  const mark = column.group
    ? h('span', { class: 'visually-hidden' }, `, ${direction.words}`)
    : h('span', { class: 'direction', 'aria-label': direction.words }, direction.mark);
  return h('th', { scope: 'col', title: column.title, class: 'num' }, column.label, mark);
}

/** The header rows: one, or two when columns are grouped (a group heading over its columns). */
function headerRows<M>(columns: Column<M>[]): HTMLElement[] {
  if (!columns.some((column) => column.group)) return [h('tr', {}, h('th', { scope: 'col' }, 'Model'), ...columns.map((column) => headerCell(column)))];
  const groups: { label: string; span: number }[] = [];
  for (const column of columns) {
    const last = groups[groups.length - 1];
    if (last && last.label === (column.group ?? '')) last.span++;
    else groups.push({ label: column.group ?? '', span: 1 });
  }
  return [
    h(
      'tr',
      {},
      h('th', { scope: 'col', rowspan: 2 }, 'Model'),
      ...groups.map((group) => h('th', { scope: 'colgroup', colspan: group.span, class: 'num' }, group.label)),
    ),
    h('tr', {}, ...columns.map((column) => headerCell(column))),
  ];
}

function table<M>(columns: Column<M>[], rows: Row<M>[], options: { id: string; caption: string }): HTMLElement {
  const best = columns.map((column) => bestScore(column, rows));
  const bodyRows = rows.map((row) =>
    h(
      'tr',
      { class: row.isModel ? 'model-row' : 'baseline-row' },
      h('th', { scope: 'row' }, row.label),
      ...columns.map((column, index) => {
        if (!row.metrics) return h('td', { class: 'num muted', title: row.missing ?? 'Not applicable' }, 'n/a');
        const value = column.read(row.metrics);
        const isBest = value !== null && best[index] !== null && score(column, value) === best[index];
        return h('td', { class: `num${isBest ? ' best' : ''}` }, column.format(value), isBest ? h('span', { class: 'visually-hidden' }, ' (best)') : null);
      }),
    ),
  );
  return h(
    'table',
    { id: options.id, class: 'metrics-table' },
    h('caption', {}, options.caption),
    h('thead', {}, ...headerRows(columns)),
    h('tbody', {}, ...bodyRows),
  );
}

/** A value's score in its column, lower is better. */
function score<M>(column: Column<M>, value: number): number {
  if (column.better === 'closest') return Math.abs(value - (column.target ?? 0));
  return column.better === 'lower' ? value : -value;
}

/** The best score in a column, or null when fewer than two rows have a value to compare. */
function bestScore<M>(column: Column<M>, rows: Row<M>[]): number | null {
  const values = rows.flatMap((row) => (row.metrics ? [column.read(row.metrics)] : [])).filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length < 2) return null;
  return Math.min(...values.map((value) => score(column, value)));
}

/**
 * The known facts of a run; while it trains, the header shows its live progress instead of the saved one. With final
 * metrics, the table holds the one validation figure and the facts name the checkpoint it scored; without, the best
 * loss during training is labelled with the sample it was measured on.
 */
function factsList(run: RunListItem): HTMLElement {
  const progress = run.status === 'running' ? null : run.progress;
  const best = progress && progress.bestStep !== null ? progress : null;
  const facts: [string, string | null][] = [
    ['Backend', run.backend],
    ['Parameters', run.params === null ? null : formatInteger(run.params)],
    ['Steps', progress ? formatInteger(progress.step) : null],
    ['Epochs', progress ? formatNumber(progress.epoch, 3) : null],
    ['Training time', progress ? formatDuration(progress.seconds) : null],
    ['Best checkpoint', best && run.summary ? `step ${formatInteger(best.bestStep)}` : null],
    [
      'Best val loss (sample)',
      best && !run.summary ? `${formatNumber(best.bestValLoss)} at step ${formatInteger(best.bestStep)}, ${trainingValidationScope(run)}` : null,
    ],
  ];
  const known = facts.filter((fact): fact is [string, string] => fact[1] !== null);
  return h('dl', { id: 'run-facts', class: 'facts' }, ...known.map(([label, value]) => h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value))));
}
