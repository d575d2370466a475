// The runs list: status, name, cell and key metric per run; click to select, a checkbox to compare, Stop while running.
import type { RunListItem, TrainProgress } from '../src/shared/protocol';
import { h, replaceChildren } from './dom';
import { cellLabel, formatDuration, formatInteger, formatRelativeTime } from './format';
import { STATUS_LABELS, statusIcon } from './icons';
import { LIMITS } from './state';
import { button, checkbox } from './ui';

/** What the list asks of the page when the user acts. */
export interface RunsListActions {
  select(runId: string): void;
  compare(runIds: string[]): void;
  stop(runId: string): void;
}

/** The live line of a training run: step, epoch and time left. */
function progressSummary(progress: Pick<TrainProgress, 'step' | 'epoch'> & Partial<TrainProgress>): string {
  const parts = [`step ${formatInteger(progress.step)}`, `epoch ${progress.epoch.toFixed(2)}${progress.epochs ? ` / ${progress.epochs}` : ''}`];
  if (progress.etaSeconds !== null && progress.etaSeconds !== undefined) parts.push(`${formatDuration(progress.etaSeconds)} left`);
  return parts.join(' · ');
}

/** The sidebar list of runs. */
export class RunsList {
  /** The section to place in the page. */
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly count: HTMLElement;
  private readonly hint = h('p', { class: 'hint sidebar-hint' }, 'Check runs to overlay their loss curves.');
  private compared: string[] = [];

  /** Builds the (empty) list. */
  constructor(private readonly actions: RunsListActions) {
    this.list = h('ul', { id: 'runs-list', class: 'runs-list', 'aria-labelledby': 'runs-heading' });
    this.count = h('span', { class: 'count-badge', 'aria-hidden': 'true' });
    this.element = h(
      'nav',
      { class: 'sidebar', 'aria-labelledby': 'runs-heading' },
      h('header', { class: 'sidebar-header' }, h('h2', { id: 'runs-heading' }, 'Runs'), this.count),
      this.list,
      this.hint,
    );
    this.list.addEventListener('keydown', (event) => this.moveSelection(event));
  }

  /** Shows the runs, keeping keyboard focus on the same run if it was inside the list. */
  render(runs: RunListItem[], selectedId: string | null, comparedIds: string[]): void {
    this.compared = comparedIds.filter((id) => runs.some((run) => run.id === id));
    const focusedRunId = this.list.contains(document.activeElement) ? document.activeElement?.closest<HTMLElement>('[data-run-id]')?.dataset.runId : undefined;
    this.count.textContent = runs.length ? String(runs.length) : '';
    this.hint.hidden = runs.length < 2;
    if (runs.length === 0) {
      replaceChildren(this.list, h('li', { class: 'runs-empty' }, 'No runs yet.'));
      return;
    }
    replaceChildren(this.list, ...runs.map((run) => this.item(run, run.id === selectedId)));
    if (focusedRunId) this.list.querySelector<HTMLElement>(`[data-run-id="${CSS.escape(focusedRunId)}"] .run-select`)?.focus();
  }

  /** Updates a running run's live line. */
  showProgress(progress: TrainProgress): void {
    const detail = this.list.querySelector(`[data-run-id="${CSS.escape(progress.runId)}"] .run-progress`);
    if (detail) detail.textContent = progressSummary(progress);
  }

  private item(run: RunListItem, selected: boolean): HTMLLIElement {
    const isCompared = this.compared.includes(run.id);
    const compare = checkbox('', isCompared, (checked) => this.toggleCompare(run.id, checked), {
      ariaLabel: `Compare ${run.name} on the loss chart`,
      title: 'Overlay this run on the loss chart',
    });
    compare.classList.add('run-compare');
    compare.disabled = run.status === 'corrupt' || (!isCompared && this.compared.length >= LIMITS.comparedRuns);
    const facts = [cellLabel(run.cell), run.task, formatRelativeTime(run.createdAt)].filter(Boolean).join(' · ');
    const select = h(
      'button',
      { class: 'run-select', type: 'button', 'aria-current': selected ? 'true' : false, title: run.message ?? undefined },
      h(
        'span',
        { class: 'run-line' },
        statusIcon(run.status),
        h('span', { class: 'run-name' }, run.name),
        run.keyMetric ? h('span', { class: 'run-metric' }, run.keyMetric) : null,
      ),
      h(
        'span',
        { class: 'run-line run-facts' },
        h('span', { class: `run-status status-${run.status}` }, STATUS_LABELS[run.status]),
        facts ? ` · ${facts}` : '',
      ),
      run.status === 'running'
        ? h('span', { class: 'run-line run-progress', 'aria-live': 'off' }, run.progress ? progressSummary(run.progress) : 'starting…')
        : null,
    );
    select.addEventListener('click', () => this.actions.select(run.id));
    const stop =
      run.status === 'running'
        ? button('Stop', () => this.actions.stop(run.id), {
            appearance: 'secondary',
            ariaLabel: `Stop training ${run.name}`,
            title: 'Stop training (keeps the best checkpoint)',
          })
        : null;
    stop?.classList.add('run-stop');
    return h('li', { class: `run-item${selected ? ' selected' : ''}`, 'data-run-id': run.id, 'data-status': run.status }, compare, select, stop);
  }

  private toggleCompare(runId: string, checked: boolean): void {
    this.compared = checked ? [...this.compared.filter((id) => id !== runId), runId] : this.compared.filter((id) => id !== runId);
    this.actions.compare(this.compared);
  }

  /** Up/Down/Home/End move between runs and select them, like a list in VS Code. */
  private moveSelection(event: KeyboardEvent): void {
    const buttons = [...this.list.querySelectorAll<HTMLButtonElement>('.run-select')];
    const current = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (current < 0) return;
    const targets: Record<string, number> = { ArrowDown: current + 1, ArrowUp: current - 1, Home: 0, End: buttons.length - 1 };
    const target = targets[event.key];
    if (target === undefined || target < 0 || target >= buttons.length) return;
    event.preventDefault();
    buttons[target].focus();
    buttons[target].click();
  }
}
