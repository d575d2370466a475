// The confusion matrix of a classifier's test split as a heatmap table: rows actual, columns predicted, counts shaded by their share of the row.
import { fillAlpha, readableTextColor, rowShares } from './confusionShading';
import { h, replaceChildren } from './dom';
import { formatInteger, formatPercent } from './format';
import { readChartTheme, withAlpha } from './theme';
import type { ClassifyMetrics } from '../src/shared/runFolder';

/** Test rows of class `actual` that the model labelled `predicted`: a cell of the matrix, with its count. */
export interface ClassPair {
  actual: string;
  predicted: string;
  count: number;
}

type Confusion = ClassifyMetrics['confusion'];

/** The heatmap; pressing a cell off the diagonal picks its pair of classes (to list its rows), pressing it again drops the pick. */
export class ConfusionMatrixView {
  /** The table's wrapper, to place in the page. */
  readonly element: HTMLElement;
  private confusion: Confusion | null = null;
  private picked: ClassPair | null = null;

  /** Builds the (empty) view; `pick` is called with the pair pressed, or null when the pick is dropped. */
  constructor(private readonly pick: (pair: ClassPair | null) => void) {
    this.element = h('div', { class: 'confusion-wrap' });
  }

  /** Shows a matrix with the picked pair (if any) marked. */
  show(confusion: Confusion, picked: ClassPair | null): void {
    this.confusion = confusion;
    this.picked = picked;
    this.render();
  }

  /** Re-reads the theme's colours. */
  themeChanged(): void {
    if (this.confusion) this.render();
  }

  private render(): void {
    const confusion = this.confusion;
    if (!confusion) return;
    const { labels, matrix } = confusion;
    const shares = rowShares(matrix);
    const theme = readChartTheme();
    const textColors = [theme.foreground, theme.background];
    const totals = matrix.map((row) => row.reduce((sum, count) => sum + count, 0));
    const correct = labels.reduce((sum, _, i) => sum + (matrix[i]?.[i] ?? 0), 0);
    const total = totals.reduce((sum, count) => sum + count, 0);
    const labelCell = (label: string, scope: 'row' | 'col') => h('th', { scope, class: 'confusion-label', title: label }, label);
    const bodyRows = labels.map((actual, i) =>
      h(
        'tr',
        {},
        labelCell(actual, 'row'),
        ...labels.map((predicted, j) => {
          const count = matrix[i]?.[j] ?? 0;
          const share = shares[i]?.[j] ?? 0;
          const right = i === j;
          const alpha = fillAlpha(share);
          const fill = right ? theme.blue : theme.red;
          const words = `Actual ${actual}, predicted ${predicted}: ${formatInteger(count)} of ${formatInteger(totals[i])} (${formatPercent(share)})${right ? ', right' : ''}`;
          const content: Node[] = [
            h('span', { class: 'confusion-count' }, formatInteger(count)),
            h('span', { class: 'confusion-share' }, formatPercent(share, 0)),
          ];
          const isPicked = this.picked?.actual === actual && this.picked.predicted === predicted;
          const cell = h(
            'td',
            {
              class: `confusion-cell${right ? ' confusion-right' : ''}${isPicked ? ' confusion-picked' : ''}`,
              'data-actual': actual,
              'data-predicted': predicted,
              'data-count': count,
              'data-share': share.toFixed(4),
              title: words,
            },
            // Read in a table, the cell's header names say what its count is; a cell with confused rows is a button that lists them.
            right || count === 0
              ? h('span', { class: 'confusion-cell-content' }, ...content)
              : this.pickButton({ actual, predicted, count }, words, isPicked, content),
          );
          if (alpha > 0) {
            cell.style.backgroundColor = withAlpha(fill, alpha);
            cell.style.color = readableTextColor(fill, alpha, theme.background, textColors);
          }
          return cell;
        }),
        h('td', { class: 'confusion-total num muted', title: `${formatInteger(totals[i])} test rows of ${actual}` }, formatInteger(totals[i])),
      ),
    );
    replaceChildren(
      this.element,
      h(
        'table',
        {
          id: 'confusion-matrix',
          class: 'confusion',
          'data-classes': labels.length,
          'data-cells': labels.length * labels.length,
          'data-correct': correct,
          'data-total': total,
        },
        h(
          'caption',
          {},
          `Rows: the actual class; columns: the class predicted. ${formatInteger(correct)} of ${formatInteger(total)} test rows are on the diagonal (right). `,
          'Shading: the share of the row’s test rows, right in blue, confused in red. Press a red cell to list its rows below.',
        ),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('td', { class: 'confusion-corner' }),
            h('th', { scope: 'colgroup', colspan: labels.length, class: 'confusion-axis' }, 'Predicted'),
            h('td', {}),
          ),
          h(
            'tr',
            {},
            h('th', { scope: 'col', class: 'confusion-axis' }, 'Actual'),
            ...labels.map((label) => labelCell(label, 'col')),
            h('th', { scope: 'col', class: 'num muted', title: 'Test rows of the class (its support)' }, 'Rows'),
          ),
        ),
        h('tbody', {}, ...bodyRows),
      ),
    );
  }

  /** A cell off the diagonal that holds rows: a toggle that lists them. */
  private pickButton(pair: ClassPair, words: string, isPicked: boolean, content: Node[]): HTMLElement {
    const button = h(
      'button',
      {
        type: 'button',
        class: 'confusion-cell-content confusion-pick',
        'aria-pressed': isPicked ? 'true' : 'false',
        'aria-label': `${words}. ${isPicked ? 'Listed below; press to list every misclassified row.' : 'Press to list these rows below.'}`,
      },
      ...content,
    );
    button.addEventListener('click', () => this.pick(isPicked ? null : pair));
    return button;
  }
}
