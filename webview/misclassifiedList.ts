// The test rows a classifier got wrong, most confident first: text, label → prediction and confidence; pressing one opens it in its file.
import type { ClassPair } from './confusionMatrix';
import { h, replaceChildren } from './dom';
import { formatInteger, formatPercent } from './format';
import { button } from './ui';
import type { MisclassifiedRow } from '../src/shared/runFolder';

/** The list of misclassified rows, optionally only those of one confusion-matrix cell. */
export class MisclassifiedList {
  /** The card body's content, to place in the page. */
  readonly element: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly list: HTMLElement;

  /** Builds the (empty) list; `reveal` gets a pressed row's file line, `showAll` drops the cell filter. */
  constructor(
    private readonly reveal: (line: number) => void,
    private readonly showAll: () => void,
  ) {
    this.summary = h('div', { class: 'misclassified-summary' });
    this.list = h('ol', {
      id: 'misclassified',
      class: 'misclassified',
      'aria-label': 'Misclassified test rows, most confident first; press one to open it in the data file',
    });
    this.element = h('div', { class: 'misclassified-body' }, this.summary, this.list);
  }

  /**
   * Shows the rows the run lists (at most a few hundred of its `errorCount` errors), sorted by the model's confidence in
   * its wrong label, only those of `filter` when given.
   */
  show(errors: readonly MisclassifiedRow[], errorCount: number, filter: ClassPair | null): void {
    const rows = errors
      .filter((row) => !filter || (row.label === filter.actual && row.predicted === filter.predicted))
      .sort((a, b) => b.confidence - a.confidence);
    this.list.dataset.rows = String(rows.length);
    this.list.dataset.filter = filter ? `${filter.actual}→${filter.predicted}` : '';
    const listed = errors.length < errorCount ? `the ${formatInteger(errors.length)} most confident of ` : '';
    replaceChildren(
      this.summary,
      h(
        'p',
        { class: 'muted' },
        filter
          ? filterSummary(filter, rows.length, errors.length < errorCount)
          : errorCount === 0
            ? 'The model got every test row right.'
            : `Listed: ${listed}${formatInteger(errorCount)} misclassified test rows, most confident first. Press one to open it in the data file.`,
      ),
      filter
        ? button('Show all', () => this.showAll(), { id: 'misclassified-show-all', appearance: 'secondary', title: 'List every misclassified row' })
        : null,
    );
    replaceChildren(this.list, ...rows.map((row) => h('li', {}, this.rowButton(row))));
  }

  private rowButton(row: MisclassifiedRow): HTMLElement {
    const element = h(
      'button',
      {
        type: 'button',
        class: 'error-row',
        'data-line': row.line,
        'data-label': row.label,
        'data-predicted': row.predicted,
        'data-confidence': row.confidence,
        'aria-label': `Line ${row.line}: ${row.label} predicted as ${row.predicted}, ${formatPercent(row.confidence)} confident. ${row.text}`,
        title: `${row.text}\n\nOpen line ${row.line} of the data file`,
      },
      h('span', { class: 'error-line', 'aria-hidden': 'true' }, `${row.line}`),
      h('span', { class: 'error-text', 'aria-hidden': 'true' }, row.text),
      h(
        'span',
        { class: 'error-labels', 'aria-hidden': 'true' },
        h('span', { class: 'class-chip', title: 'The label in the file' }, row.label),
        ' → ',
        h('span', { class: 'class-chip class-chip-wrong', title: 'The model’s label' }, row.predicted),
      ),
      h('span', { class: 'error-confidence', 'aria-hidden': 'true', title: 'The model’s probability for its label' }, formatPercent(row.confidence)),
    );
    element.addEventListener('click', () => this.reveal(row.line));
    return element;
  }
}

/** How many of a cell's rows are listed: all, some, or none when the run kept only its most confident errors. */
function filterSummary(filter: ClassPair, listed: number, capped: boolean): string {
  const pair = `${filter.actual} predicted as ${filter.predicted}`;
  const why = capped ? ': the run keeps only its most confident errors' : '';
  const one = filter.count === 1;
  if (listed >= filter.count) return one ? `The test row of ${pair}.` : `The ${formatInteger(listed)} test rows of ${pair}.`;
  if (listed === 0)
    return one ? `The test row of ${pair} is not listed${why}.` : `None of the ${formatInteger(filter.count)} test rows of ${pair} is listed${why}.`;
  return `${formatInteger(listed)} of the ${formatInteger(filter.count)} test rows of ${pair}${why}.`;
}
