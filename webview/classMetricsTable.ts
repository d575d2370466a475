// A classifier's per-class table: precision, recall, F1 and support of each class on the test split, and their macro average.
import { h } from './dom';
import { formatInteger, formatNumber } from './format';
import type { ClassifyMetrics, ClassMetrics } from '../src/shared/runFolder';

/** Digits of precision, recall and F1 (0.932). */
const DIGITS = 3;

const COLUMNS: { label: string; title: string; read: (m: ClassMetrics) => number }[] = [
  { label: 'Precision', title: 'Of the test rows predicted as the class, the share that are of it', read: (m) => m.precision },
  { label: 'Recall', title: 'Of the test rows of the class, the share predicted as it', read: (m) => m.recall },
  { label: 'F1', title: 'The harmonic mean of precision and recall', read: (m) => m.f1 },
];

/** The table of the model's figures per class, in the order of the run's labels; the footer is the unweighted mean over the classes. */
export function classMetricsTable(metrics: ClassifyMetrics): HTMLElement {
  const classes = metrics.confusion.labels.flatMap((label) => {
    const figures = metrics.perClass[label];
    return figures ? [{ label, figures }] : [];
  });
  const mean = (read: (m: ClassMetrics) => number) => classes.reduce((sum, { figures }) => sum + read(figures), 0) / Math.max(1, classes.length);
  const support = classes.reduce((sum, { figures }) => sum + figures.support, 0);
  const header = h(
    'tr',
    {},
    h('th', { scope: 'col' }, 'Class'),
    ...COLUMNS.map((column) => h('th', { scope: 'col', class: 'num', title: column.title }, column.label)),
    h('th', { scope: 'col', class: 'num', title: 'Test rows of the class' }, 'Support'),
  );
  const rows = classes.map(({ label, figures }) =>
    h(
      'tr',
      { 'data-class': label },
      h('th', { scope: 'row', class: 'class-name', title: label }, label),
      ...COLUMNS.map((column) => h('td', { class: 'num' }, formatNumber(column.read(figures), DIGITS))),
      h('td', { class: 'num' }, formatInteger(figures.support)),
    ),
  );
  const footer = h(
    'tr',
    { class: 'model-row' },
    h('th', { scope: 'row', title: 'Each class counts the same, however rare' }, 'Macro average'),
    ...COLUMNS.map((column) => h('td', { class: 'num' }, formatNumber(column.label === 'F1' ? metrics.macroF1 : mean(column.read), DIGITS))),
    h('td', { class: 'num' }, formatInteger(support)),
  );
  return h(
    'div',
    { class: 'metrics-table-wrap' },
    h(
      'table',
      { id: 'class-metrics', class: 'metrics-table', 'data-classes': classes.length },
      h('caption', {}, 'The model on each class of the test split.'),
      h('thead', {}, header),
      h('tbody', {}, ...rows),
      h('tfoot', {}, footer),
    ),
  );
}
