// A classifier's "Try it" box: as the user types, the class probabilities of the text, shown as bars.
import { MAX_REQUEST_TEXT_CHARS, type HostToWebview, type RunListItem, type WebviewToHost } from '../src/shared/protocol';
import { hasUsableModel } from '../src/shared/runFolder';
import { debounce, h, replaceChildren } from './dom';
import { formatInteger, formatPercent } from './format';
import type { UiStateStore } from './state';
import { spinner, textArea, type ValueControl } from './ui';

/** Wait this long after the last keystroke before asking for the probabilities. */
const TYPING_DEBOUNCE_MS = 150;
/** Classes shown as bars; the rest are counted below them. */
const SHOWN_CLASSES = 10;

type ClassifyResult = Extract<HostToWebview, { type: 'classify/result' }>;

/** The Try it card of a classify run. */
export class ClassifyTryIt {
  /** The section to place in the page. */
  readonly element: HTMLElement;
  private readonly input: ValueControl;
  private readonly probabilities: HTMLElement;
  private readonly error: HTMLElement;
  private readonly availability: HTMLElement;
  private readonly controls: HTMLElement;
  private readonly requestSoon: ReturnType<typeof debounce<[]>>;
  private runId: string | null = null;
  private usable = false;
  /** The step of the checkpoint answers come from while the run trains (null once it has ended). */
  private checkpointStep: number | null = null;
  /** The latest request; older answers are ignored. */
  private pending: number | null = null;

  /** Builds the card; messages go through `post`, request ids come from `nextRequestId`. */
  constructor(
    private readonly ui: UiStateStore,
    private readonly post: (message: WebviewToHost) => void,
    private readonly nextRequestId: () => number,
  ) {
    this.requestSoon = debounce(() => this.request(), TYPING_DEBOUNCE_MS);
    this.input = textArea('Text', ui.current.classifyText, (value) => this.typed(value), {
      id: 'classify-text',
      rows: 3,
      placeholder: 'Type or paste a text to classify…',
    });
    this.probabilities = h('div', { id: 'class-probabilities', class: 'class-probabilities', 'aria-live': 'polite', 'aria-busy': 'false' });
    this.error = h('p', { id: 'classify-error', class: 'banner banner-error', role: 'alert', hidden: true });
    this.availability = h('p', { class: 'muted', id: 'classify-unavailable', hidden: true });
    this.controls = h('div', { class: 'text-controls' }, this.input, h('div', {}, h('h3', {}, 'Class probabilities'), this.probabilities));
    this.element = h(
      'section',
      { class: 'card', id: 'classify-try', 'aria-labelledby': 'classify-try-heading' },
      h('header', { class: 'card-header' }, h('h2', { id: 'classify-try-heading' }, 'Try the classifier')),
      h('div', { class: 'card-body text-panel-body' }, this.availability, this.controls, this.error),
    );
  }

  /**
   * Shows the box for a classify run; on a new run (or when its model becomes usable, or a training run saves a better
   * checkpoint) the current text is classified again. While training, answers come from the best checkpoint so far.
   */
  show(run: RunListItem): void {
    const checkpointStep = run.status === 'running' ? (run.progress?.bestStep ?? null) : null;
    const usable = hasUsableModel(run) || checkpointStep !== null;
    const changed = run.id !== this.runId || usable !== this.usable;
    const newCheckpoint = checkpointStep !== this.checkpointStep;
    this.runId = run.id;
    this.usable = usable;
    this.checkpointStep = checkpointStep;
    this.availability.hidden = usable && checkpointStep === null;
    this.availability.textContent =
      checkpointStep !== null
        ? `Training: this uses the best checkpoint so far (step ${formatInteger(checkpointStep)}), and moves to a better one as training saves it.`
        : run.status === 'running'
          ? 'The classifier can be tried once training saves its first checkpoint.'
          : 'This run has no model to try.';
    this.controls.hidden = !usable;
    if (changed) {
      this.error.hidden = true;
      this.requestSoon.cancel();
      this.request();
    } else if (newCheckpoint && usable) {
      this.request();
    }
  }

  /** Shows an answer if it is the latest one asked for: every class as a bar, the most likely first. */
  showResult(result: ClassifyResult): void {
    if (result.requestId !== this.pending || result.runId !== this.runId) return;
    this.pending = null;
    this.probabilities.setAttribute('aria-busy', 'false');
    const shown = result.labels.slice(0, SHOWN_CLASSES);
    const rest = result.labels.slice(SHOWN_CLASSES);
    const restProb = rest.reduce((sum, { prob }) => sum + prob, 0);
    this.probabilities.dataset.topLabel = result.labels[0]?.label ?? '';
    replaceChildren(
      this.probabilities,
      h(
        'ol',
        { class: 'class-bars', 'aria-label': 'Class probabilities, most likely first' },
        ...shown.map(({ label, prob }, index) =>
          h(
            'li',
            { class: `class-bar-row${index === 0 ? ' class-bar-top' : ''}`, 'data-label': label, 'data-prob': prob },
            h('span', { class: 'class-bar-label', title: label }, label),
            h('span', { class: 'bar-track', 'aria-hidden': 'true' }, h('span', { class: 'bar-fill', style: `width: ${(prob * 100).toFixed(1)}%` })),
            h('span', { class: 'prob' }, formatPercent(prob)),
          ),
        ),
      ),
      rest.length ? h('p', { class: 'hint' }, `${formatInteger(rest.length)} more classes: ${formatPercent(restProb)} together.`) : null,
    );
  }

  /** Shows a failed request inline; returns false if the request was not this box's. */
  showError(requestId: number, message: string): boolean {
    if (requestId !== this.pending) return false;
    this.pending = null;
    this.probabilities.setAttribute('aria-busy', 'false');
    replaceChildren(this.probabilities);
    this.error.hidden = false;
    this.error.textContent = message;
    return true;
  }

  private typed(value: string): void {
    this.ui.update({ classifyText: value });
    this.requestSoon();
  }

  private request(): void {
    const text = this.ui.current.classifyText.slice(0, MAX_REQUEST_TEXT_CHARS);
    this.error.hidden = true;
    if (!this.runId || !this.usable || text.trim().length === 0) {
      this.pending = null;
      this.probabilities.dataset.topLabel = '';
      replaceChildren(this.probabilities, h('p', { class: 'muted' }, this.usable ? 'Type a text to see how likely each class is.' : ''));
      return;
    }
    this.pending = this.nextRequestId();
    this.probabilities.setAttribute('aria-busy', 'true');
    if (!this.probabilities.querySelector('.class-bars')) replaceChildren(this.probabilities, spinner('Classifying'));
    this.post({ type: 'classify/request', requestId: this.pending, runId: this.runId, text });
  }
}
