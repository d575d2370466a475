// The panels of a classify run: its classes (confusion matrix and per-class table), the misclassified test rows, and the Try it box.
import type { HostToWebview, RunListItem, WebviewToHost } from '../src/shared/protocol';
import type { RunSummary } from '../src/shared/runFolder';
import { classMetricsTable } from './classMetricsTable';
import { ClassifyTryIt } from './classifyTryIt';
import { ConfusionMatrixView, type ClassPair } from './confusionMatrix';
import { h, replaceChildren } from './dom';
import { MisclassifiedList } from './misclassifiedList';
import type { UiStateStore } from './state';

type ClassifySummary = Extract<RunSummary, { task: 'classify' }>;

/** Everything the dashboard shows of a classify run besides its loss and metrics cards. */
export class ClassifyPanel {
  /** The cards to place in the page. */
  readonly element: HTMLElement;
  private readonly matrix: ConfusionMatrixView;
  private readonly classesBody: HTMLElement;
  private readonly errorsCard: HTMLElement;
  private readonly errors: MisclassifiedList;
  private readonly tryIt: ClassifyTryIt;
  private runId: string | null = null;
  private summary: ClassifySummary | null = null;
  /** What the cards show, to skip rebuilding them (and losing the focus and scroll) when the host resends the same run. */
  private shownKey = '';
  /** The confusion-matrix cell whose rows are listed, or null for every misclassified row. */
  private picked: ClassPair | null = null;

  /** Builds the (empty) cards; messages go through `post`, request ids come from `nextRequestId`. */
  constructor(
    ui: UiStateStore,
    private readonly post: (message: WebviewToHost) => void,
    nextRequestId: () => number,
  ) {
    this.matrix = new ConfusionMatrixView((pair) => this.pick(pair));
    this.errors = new MisclassifiedList(
      (line) => {
        if (this.runId) this.post({ type: 'row/reveal', runId: this.runId, line });
      },
      () => this.pick(null),
    );
    this.tryIt = new ClassifyTryIt(ui, post, nextRequestId);
    this.classesBody = h('div', { class: 'card-body' });
    this.errorsCard = h(
      'section',
      { class: 'card', id: 'misclassified-section', 'aria-labelledby': 'misclassified-heading', hidden: true },
      h('header', { class: 'card-header' }, h('h2', { id: 'misclassified-heading' }, 'Misclassified test rows')),
      h('div', { class: 'card-body' }, this.errors.element),
    );
    this.element = h(
      'div',
      { id: 'classify-panel' },
      h(
        'section',
        { class: 'card', id: 'classes-section', 'aria-labelledby': 'classes-heading' },
        h('header', { class: 'card-header' }, h('h2', { id: 'classes-heading' }, 'Classes on the test split')),
        this.classesBody,
      ),
      this.errorsCard,
      this.tryIt.element,
    );
  }

  /** Shows a classify run: its figures once training has ended, the Try it box as soon as it has a checkpoint. */
  show(run: RunListItem): void {
    const summary = run.summary?.task === 'classify' ? run.summary : null;
    if (run.id !== this.runId) this.picked = null;
    const key = JSON.stringify([run.id, run.status, summary]);
    this.runId = run.id;
    this.summary = summary;
    this.tryIt.show(run);
    if (key === this.shownKey) return;
    this.shownKey = key;
    this.render(run);
  }

  /** Shows a Try it answer. */
  showResult(result: Extract<HostToWebview, { type: 'classify/result' }>): void {
    this.tryIt.showResult(result);
  }

  /** Shows a failed request inline; returns false if the request was not this panel's. */
  showError(requestId: number, message: string): boolean {
    return this.tryIt.showError(requestId, message);
  }

  /** Re-reads the theme's colours. */
  themeChanged(): void {
    this.matrix.themeChanged();
  }

  private render(run: RunListItem): void {
    const summary = this.summary;
    this.errorsCard.hidden = !summary;
    if (!summary) {
      replaceChildren(
        this.classesBody,
        h(
          'p',
          { class: 'muted', id: 'classes-pending' },
          run.status === 'running' ? 'The confusion matrix and the per-class figures are shown when training ends.' : 'This run has no test figures.',
        ),
      );
      return;
    }
    this.matrix.show(summary.metrics.confusion, this.picked);
    replaceChildren(this.classesBody, h('div', { class: 'classes-layout' }, this.matrix.element, classMetricsTable(summary.metrics)));
    this.showErrors();
  }

  /** Lists the rows of a confusion-matrix cell (or all, for null) and marks the cell. */
  private pick(pair: ClassPair | null): void {
    this.picked = pair;
    if (!this.summary) return;
    this.matrix.show(this.summary.metrics.confusion, pair);
    this.showErrors();
    if (pair) this.errorsCard.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }

  private showErrors(): void {
    const summary = this.summary;
    if (!summary) return;
    const { matrix } = summary.metrics.confusion;
    const errorCount = matrix.reduce((sum, row, i) => sum + row.reduce((rowSum, count, j) => rowSum + (i === j ? 0 : count), 0), 0);
    this.errors.show(summary.errors, errorCount, this.picked);
  }
}
