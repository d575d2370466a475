// The text run panel: a prompt with the model's top next tokens as bars, and Generate with temperature and length, whose text can be copied or inserted.
import type { HostToWebview, RunListItem, WebviewToHost } from '../src/shared/protocol';
import { debounce, h, replaceChildren } from './dom';
import { formatInteger, formatPercent, spokenToken, visibleToken } from './format';
import { LIMITS, type UiStateStore } from './state';
import { button, slider, spinner, textArea, textField, type ButtonControl, type ValueControl } from './ui';

/** How many next tokens to ask for. */
const TOP_K = 10;
/** Wait this long after the last keystroke before asking for predictions. */
const PROMPT_DEBOUNCE_MS = 250;

type PredictResult = Extract<HostToWebview, { type: 'predict/result' }>;
type GenerateResult = Extract<HostToWebview, { type: 'generate/result' }>;

/** The "Try the model" card of a text run. */
export class TextPanel {
  /** The section to place in the page. */
  readonly element: HTMLElement;
  private readonly prompt: ValueControl;
  private readonly lengthField: ValueControl;
  private readonly generateButton: ButtonControl;
  private readonly predictions: HTMLElement;
  private readonly generation: HTMLElement;
  /** Copy and Insert at cursor, for the text generated last. */
  private readonly generationActions: HTMLElement;
  private readonly error: HTMLElement;
  private readonly availability: HTMLElement;
  /** The prompt, predictions and generation, hidden while the run has no model to try. */
  private readonly controls: HTMLElement;
  private readonly requestPredictionsSoon: ReturnType<typeof debounce<[]>>;
  private runId: string | null = null;
  private usable = false;
  /** The step of the checkpoint answers come from while the run trains (null once it has ended). */
  private checkpointStep: number | null = null;
  /** The latest request of each kind; older answers are ignored. */
  private predictRequest: number | null = null;
  private generateRequest: number | null = null;
  /** The prompt the pending generation continues. */
  private generatedFrom = '';
  /** The continuation shown, which Copy and Insert at cursor use. */
  private generatedText = '';

  /** Builds the card; messages go through `post`, request ids come from `nextRequestId`. */
  constructor(
    private readonly ui: UiStateStore,
    private readonly post: (message: WebviewToHost) => void,
    private readonly nextRequestId: () => number,
  ) {
    const state = ui.current;
    this.requestPredictionsSoon = debounce(() => this.requestPredictions(), PROMPT_DEBOUNCE_MS);
    this.prompt = textArea('Prompt', state.prompt, (value) => this.promptChanged(value), { id: 'prompt', rows: 3, placeholder: 'Type the start of a text…' });
    const temperature = slider(
      'Temperature',
      { ...LIMITS.temperature, step: 0.05 },
      state.temperature,
      (value) => (value === 0 ? '0 (greedy)' : value.toFixed(2)),
      (value) => this.ui.update({ temperature: value }),
      { id: 'temperature', title: 'Lower is more predictable, higher is more varied' },
    );
    this.lengthField = textField('Length', String(state.generateLength), (value) => this.lengthChanged(value), {
      id: 'generate-length',
      type: 'number',
      size: 6,
    });
    this.generateButton = button('Generate', () => this.generate(), { id: 'generate' });
    this.predictions = h('div', { id: 'next-tokens', class: 'next-tokens', 'aria-live': 'polite', 'aria-busy': 'false' });
    this.generation = h('div', { id: 'generation', class: 'generation', 'aria-live': 'polite', hidden: true });
    this.generationActions = h(
      'div',
      { class: 'toolbar', role: 'group', 'aria-label': 'Use the generated text' },
      button('Copy', () => this.useGeneration('generation/copy'), {
        id: 'copy-generation',
        appearance: 'secondary',
        title: 'Copy the generated text to the clipboard',
      }),
      button('Insert at cursor', () => this.useGeneration('generation/insert'), {
        id: 'insert-generation',
        appearance: 'secondary',
        title: 'Insert the generated text at the cursor of the text editor used last',
      }),
    );
    this.error = h('p', { id: 'text-error', class: 'banner banner-error', role: 'alert', hidden: true });
    this.availability = h('p', { class: 'muted', id: 'text-unavailable', hidden: true });
    this.controls = h('div', { class: 'text-controls' });
    this.controls.append(
      this.prompt,
      h(
        'div',
        { class: 'text-columns' },
        h('div', { class: 'next-token-column' }, h('h3', {}, 'Next token'), this.predictions),
        h(
          'div',
          { class: 'generate-column' },
          h('h3', {}, 'Continue the prompt'),
          h('div', { class: 'generate-controls' }, temperature.element, this.lengthField, this.generateButton),
          this.generation,
        ),
      ),
    );
    this.element = h(
      'section',
      { class: 'card', id: 'text-panel', 'aria-labelledby': 'text-heading' },
      h('header', { class: 'card-header' }, h('h2', { id: 'text-heading' }, 'Try the model')),
      h('div', { class: 'card-body text-panel-body' }, this.availability, this.controls, this.error),
    );
  }

  /**
   * Shows the panel for a text run; on a new run (or when its model becomes usable, or a training run saves a better
   * checkpoint) predictions are asked for the current prompt. While training, answers come from the best checkpoint so far.
   */
  show(run: RunListItem): void {
    const checkpointStep = run.status === 'running' ? (run.progress?.bestStep ?? null) : null;
    const usable = run.status === 'completed' || run.status === 'cancelled' || checkpointStep !== null;
    const changed = run.id !== this.runId || usable !== this.usable;
    const newCheckpoint = checkpointStep !== this.checkpointStep;
    this.runId = run.id;
    this.usable = usable;
    this.checkpointStep = checkpointStep;
    this.availability.hidden = this.usable && checkpointStep === null;
    this.availability.textContent =
      checkpointStep !== null
        ? `Training: this uses the best checkpoint so far (step ${formatInteger(checkpointStep)}), and moves to a better one as training saves it.`
        : run.status === 'running'
          ? 'The model can be tried once training saves its first checkpoint.'
          : 'This run has no model to try.';
    this.controls.hidden = !this.usable;
    this.updateGenerateButton();
    if (!changed && newCheckpoint && usable) this.requestPredictions();
    if (changed) {
      this.error.hidden = true;
      this.generation.hidden = true;
      this.generateRequest = null;
      this.requestPredictionsSoon.cancel();
      this.requestPredictions();
    }
  }

  /** Shows a predict answer if it is the latest one asked for. */
  showPredictions(result: PredictResult): void {
    if (result.requestId !== this.predictRequest || result.runId !== this.runId) return;
    this.predictRequest = null;
    this.predictions.setAttribute('aria-busy', 'false');
    const top = result.topK[0]?.prob ?? 1;
    replaceChildren(
      this.predictions,
      h(
        'ol',
        { class: 'token-bars', 'aria-label': 'Most likely next tokens; press one to append it to the prompt' },
        ...result.topK.map(({ token, prob }) => {
          const row = h(
            'button',
            {
              type: 'button',
              class: 'token-row',
              'aria-label': `${spokenToken(token)}, ${formatPercent(prob)}. Append to the prompt.`,
              'data-token': token,
              'data-prob': prob,
            },
            h('span', { class: 'token', 'aria-hidden': 'true' }, visibleToken(token)),
            h('span', { class: 'bar-track', 'aria-hidden': 'true' }, h('span', { class: 'bar-fill', style: `width: ${((prob / top) * 100).toFixed(1)}%` })),
            h('span', { class: 'prob', 'aria-hidden': 'true' }, formatPercent(prob)),
          );
          row.addEventListener('click', () => this.appendToPrompt(token));
          return h('li', {}, row);
        }),
      ),
    );
  }

  /** Shows a generate answer if it is the latest one asked for: Copy and Insert at cursor, the prompt greyed, then the continuation. */
  showGeneration(result: GenerateResult): void {
    if (result.requestId !== this.generateRequest || result.runId !== this.runId) return;
    this.generateRequest = null;
    this.updateGenerateButton();
    this.generation.hidden = false;
    this.generation.setAttribute('aria-busy', 'false');
    this.generatedText = result.text;
    this.generationActions.hidden = result.text.length === 0;
    replaceChildren(
      this.generation,
      this.generationActions,
      h(
        'pre',
        { class: 'generated-text' },
        h('span', { class: 'prompt-echo' }, this.generatedFrom),
        h('span', { class: 'continuation', id: 'continuation' }, result.text),
      ),
    );
  }

  /** Shows a failed request inline; returns false if the request was not this panel's. */
  showError(requestId: number, message: string): boolean {
    if (requestId === this.predictRequest) {
      this.predictRequest = null;
      replaceChildren(this.predictions);
      this.predictions.setAttribute('aria-busy', 'false');
    } else if (requestId === this.generateRequest) {
      this.generateRequest = null;
      this.generation.hidden = true;
      this.updateGenerateButton();
    } else {
      return false;
    }
    this.error.hidden = false;
    this.error.textContent = message;
    return true;
  }

  private promptChanged(value: string): void {
    this.ui.update({ prompt: value });
    this.updateGenerateButton();
    this.requestPredictionsSoon();
  }

  private lengthChanged(value: string): void {
    const length = Math.round(Number(value));
    if (Number.isFinite(length) && length >= LIMITS.generateLength.min && length <= LIMITS.generateLength.max) this.ui.update({ generateLength: length });
    this.updateGenerateButton();
  }

  private appendToPrompt(token: string): void {
    const prompt = this.ui.current.prompt + token;
    this.prompt.value = prompt;
    this.promptChanged(prompt);
  }

  private requestPredictions(): void {
    const prompt = this.ui.current.prompt;
    this.error.hidden = true;
    if (!this.runId || !this.usable || prompt.length === 0) {
      this.predictRequest = null;
      replaceChildren(this.predictions, h('p', { class: 'muted' }, this.usable ? 'Type a prompt to see the most likely next tokens.' : ''));
      return;
    }
    this.predictRequest = this.nextRequestId();
    this.predictions.setAttribute('aria-busy', 'true');
    if (!this.predictions.querySelector('.token-bars')) replaceChildren(this.predictions, spinner('Predicting'));
    this.post({ type: 'predict/request', requestId: this.predictRequest, runId: this.runId, prompt, topK: TOP_K });
  }

  private generate(): void {
    const { prompt, temperature, generateLength } = this.ui.current;
    if (!this.runId || !this.usable || prompt.length === 0) return;
    this.error.hidden = true;
    this.generateRequest = this.nextRequestId();
    this.generatedFrom = prompt;
    this.updateGenerateButton();
    this.generation.hidden = false;
    this.generation.setAttribute('aria-busy', 'true');
    replaceChildren(this.generation, spinner('Generating'));
    this.post({ type: 'generate/request', requestId: this.generateRequest, runId: this.runId, prompt, length: generateLength, temperature });
  }

  /** Asks the host to copy the generated text, or to insert it at the cursor. */
  private useGeneration(type: 'generation/copy' | 'generation/insert'): void {
    if (this.generatedText) this.post({ type, text: this.generatedText });
  }

  private updateGenerateButton(): void {
    const length = Number(this.lengthField.value);
    const validLength = Number.isInteger(length) && length >= LIMITS.generateLength.min && length <= LIMITS.generateLength.max;
    this.generateButton.disabled = !this.usable || this.generateRequest !== null || this.ui.current.prompt.length === 0 || !validLength;
    this.generateButton.title =
      this.ui.current.prompt.length === 0
        ? 'Type a prompt first'
        : validLength
          ? ''
          : `Length must be ${LIMITS.generateLength.min}–${LIMITS.generateLength.max}`;
  }
}
