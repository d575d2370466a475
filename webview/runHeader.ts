// The selected run's header: name and status, live training progress, a Stop or Continue training button, and the run's message.
import { progressFraction } from '../src/shared/progress';
import type { RunListItem, TrainProgress } from '../src/shared/protocol';
import { h, replaceChildren } from './dom';
import { cellLabel, formatDuration, formatInteger, formatNumber, formatRelativeTime } from './format';
import { STATUS_LABELS, statusIcon } from './icons';
import { button } from './ui';
import { trainingValidationScope } from './validation';

/** What each task's model is called in the subtitle. */
const TASK_WORDS: Record<NonNullable<RunListItem['task']>, string> = { text: 'text model', series: 'series model', classify: 'classifier' };

/** The header above the selected run's charts. */
export class RunHeader {
  /** The header to place in the page. */
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly subtitle: HTMLElement;
  private readonly provenance: HTMLElement;
  private readonly actions: HTMLElement;
  private readonly progressBox: HTMLElement;
  private readonly messageBox: HTMLElement;
  private run: RunListItem | null = null;

  /** Builds the header; `stop` and `continueTraining` are called with the run id when the user presses Stop or Continue training. */
  constructor(
    private readonly stop: (runId: string) => void,
    private readonly continueTraining: (runId: string) => void,
  ) {
    this.title = h('h1', { id: 'run-title', class: 'run-title' });
    this.subtitle = h('p', { class: 'run-subtitle' });
    this.provenance = h('p', { id: 'run-provenance', class: 'run-subtitle run-provenance', hidden: true });
    this.actions = h('div', { class: 'run-actions' });
    this.progressBox = h('div', { id: 'run-progress', class: 'run-progress-box', hidden: true });
    this.messageBox = h('div', { id: 'run-message', class: 'banner', hidden: true });
    this.element = h(
      'header',
      { class: 'run-header', 'aria-labelledby': 'run-title' },
      h('div', { class: 'run-header-top' }, h('div', { class: 'run-heading' }, this.title, this.subtitle, this.provenance), this.actions),
      this.progressBox,
      this.messageBox,
    );
  }

  /** Shows a run, with its latest progress if it is training. */
  show(run: RunListItem, progress: TrainProgress | null): void {
    this.run = run;
    replaceChildren(
      this.title,
      h('span', { class: 'run-title-name' }, run.name),
      h('span', { class: `status-pill status-${run.status}`, 'data-status': run.status }, statusIcon(run.status), STATUS_LABELS[run.status]),
    );
    this.subtitle.textContent = [cellLabel(run.cell), run.task && TASK_WORDS[run.task], run.createdAt && `started ${formatRelativeTime(run.createdAt)}`, run.id]
      .filter(Boolean)
      .join(' · ');
    this.provenance.textContent = run.importedFrom ?? '';
    this.provenance.hidden = run.importedFrom === null;
    const resumable = run.status === 'completed' || run.status === 'cancelled' || (run.status === 'failed' && (run.progress?.bestStep ?? null) !== null);
    replaceChildren(
      this.actions,
      run.status === 'running'
        ? button('Stop training', () => this.stop(run.id), { id: 'stop-run', appearance: 'secondary', title: 'Stop training (keeps the best checkpoint)' })
        : null,
      resumable
        ? button('Continue training', () => this.continueTraining(run.id), {
            id: 'continue-run',
            appearance: 'secondary',
            title: 'Train further from the last checkpoint, for another default time budget',
          })
        : null,
    );
    this.showMessage(run);
    this.progressBox.hidden = run.status !== 'running';
    if (run.status === 'running') this.showProgress(progress);
  }

  /** Updates the live progress of the shown run. */
  showProgress(progress: TrainProgress | null): void {
    if (!this.run || this.run.status !== 'running') return;
    if (!progress) {
      replaceChildren(this.progressBox, h('span', { class: 'muted' }, 'Starting…'));
      return;
    }
    const fraction = progressFraction(progress);
    const scope = trainingValidationScope(this.run);
    const stats: [string, string, string?][] = [
      ['Step', formatInteger(progress.step)],
      ['Epoch', progress.epochs > 0 ? `${progress.epoch.toFixed(2)} / ${progress.epochs}` : progress.epoch.toFixed(2)],
      ['Train loss', formatNumber(progress.trainLoss)],
      [
        scope === 'whole split' ? 'Val loss' : 'Val loss (sample)',
        formatNumber(progress.valLoss),
        `The latest validation during training (${scope}); the held-out loss is scored when training ends`,
      ],
      ['Speed', `${formatInteger(progress.throughput)} ${progress.throughputUnit}`],
      ['Elapsed', formatDuration(progress.seconds)],
      ['Left', progress.etaSeconds === null ? '—' : `≈ ${formatDuration(progress.etaSeconds)}`],
    ];
    replaceChildren(
      this.progressBox,
      h('div', {
        class: 'progress-bar',
        role: 'progressbar',
        'aria-label': 'Training progress',
        'aria-valuemin': 0,
        'aria-valuemax': 100,
        'aria-valuenow': Math.round(fraction * 100),
        style: `--progress: ${(fraction * 100).toFixed(1)}%`,
      }),
      h('dl', { class: 'stats' }, ...stats.map(([label, value, title]) => h('div', { class: 'stat', title }, h('dt', {}, label), h('dd', {}, value)))),
    );
  }

  private showMessage(run: RunListItem): void {
    const tone = run.status === 'failed' || run.status === 'corrupt' ? 'error' : 'info';
    const text = run.message ?? (run.status === 'corrupt' ? 'This run folder could not be read.' : null);
    this.messageBox.hidden = !text;
    this.messageBox.className = `banner banner-${tone}`;
    this.messageBox.setAttribute('role', tone === 'error' ? 'alert' : 'status');
    replaceChildren(this.messageBox, text ? h('strong', {}, tone === 'error' ? `${STATUS_LABELS[run.status]}: ` : '') : null, text ?? '');
  }
}
