// The "Inside the model" card of a text run: the units "Find Units for Selection" found, ranked three ways, and a heatmap of the top ones over the selection; clicking a unit colours the editor by it.
import type { HostToWebview, WebviewToHost } from '../src/shared/protocol';
import type { UnitScore } from '../src/shared/inspect';
import { h, replaceChildren } from './dom';
import { formatInteger, formatNumber, spokenToken, visibleToken } from './format';
import { choice } from './ui';

type FoundUnits = Extract<HostToWebview, { type: 'inside/units' }>;
type Ranking = 'bySeparation' | 'byInterpretability' | 'byVariance';

const RANKINGS: { value: Ranking; label: string }[] = [
  { value: 'bySeparation', label: 'Separation' },
  { value: 'byInterpretability', label: 'Interpretability' },
  { value: 'byVariance', label: 'Variance' },
];

/** A signed number with a true minus. */
function signed(value: number, digits = 2): string {
  const text = Math.abs(value).toFixed(digits);
  return Number(text) === 0 ? text : `${value < 0 ? '−' : '+'}${text}`;
}

/** The CSS class of a heatmap cell's colour bucket (−4…4), the editor's scale. */
function bucketClass(bucket: number): string {
  return bucket === 0 ? 'heat' : `heat heat-${bucket > 0 ? 'p' : 'n'}${Math.min(4, Math.abs(bucket))}`;
}

export class InsidePanel {
  /** The section to place in the page. */
  readonly element: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly table: HTMLElement;
  private readonly heatmap: HTMLElement;
  private found: FoundUnits | null = null;
  private ranking: Ranking = 'bySeparation';

  constructor(private readonly post: (message: WebviewToHost) => void) {
    this.summary = h('p', { class: 'muted inside-summary' });
    this.table = h('div', { class: 'metrics-table-wrap inside-units-wrap' });
    this.heatmap = h('div', { class: 'inside-heatmap-wrap' });
    const rankBy = choice('Rank by', RANKINGS, this.ranking, (value) => {
      this.ranking = value;
      this.renderTable();
    });
    this.element = h(
      'section',
      { class: 'card', id: 'inside-panel', 'aria-labelledby': 'inside-heading', hidden: true },
      h('header', { class: 'card-header' }, h('h2', { id: 'inside-heading' }, 'Inside the model'), rankBy),
      h('div', { class: 'card-body' }, this.summary, h('div', { class: 'inside-layout' }, this.table, this.heatmap)),
    );
  }

  /** Keeps a unit search's result; it shows while its run is selected. */
  receive(found: FoundUnits): void {
    this.found = found;
    this.ranking = 'bySeparation';
    const { result } = found;
    const oneLine = found.selection.replace(/\r?\n/g, ' ↵ ');
    const excerpt = oneLine.length > 80 ? `${oneLine.slice(0, 79)}…` : oneLine;
    replaceChildren(
      this.summary,
      `Units of layer ${result.layer + 1} (state ${result.state}) that pick out the selection “${excerpt}”: `,
      `${formatInteger(result.inside)} tokens inside, ${formatInteger(result.outside)} outside. Click a unit to colour the editor by it.`,
    );
    this.renderTable();
    this.renderHeatmap();
  }

  /** Shows the card when the selected run is the one the search was for. */
  show(runId: string | null): void {
    this.element.hidden = this.found === null || this.found.runId !== runId;
  }

  private pick(unit: number): void {
    if (!this.found) return;
    this.post({ type: 'inside/showUnit', layer: this.found.result.layer, state: this.found.result.state, unit });
  }

  /** A button that colours the editor by a unit. */
  private unitButton(unit: number): HTMLButtonElement {
    const button = h('button', { type: 'button', class: 'unit-pick', 'data-unit': unit, title: `Colour the editor by unit ${unit}` }, `Unit ${unit}`);
    button.addEventListener('click', () => this.pick(unit));
    return button;
  }

  private renderTable(): void {
    if (!this.found) return;
    const scores: UnitScore[] = this.found.result[this.ranking];
    const head = h(
      'tr',
      {},
      ...['Unit', 'd', 'AUC', 'Interpretability', 'Variance', 'Mean inside', 'Mean outside'].map((label) => h('th', { scope: 'col' }, label)),
    );
    const rows = scores.map((score) =>
      h(
        'tr',
        { 'data-unit': score.unit },
        h('th', { scope: 'row' }, this.unitButton(score.unit)),
        h('td', {}, signed(score.separation)),
        h('td', {}, score.auc.toFixed(2)),
        h('td', {}, score.interpretability.toFixed(2)),
        h('td', {}, formatNumber(score.variance, 3)),
        h('td', {}, signed(score.meanInside)),
        h('td', {}, signed(score.meanOutside)),
      ),
    );
    replaceChildren(
      this.table,
      h('table', { class: 'metrics-table inside-units', id: 'inside-units', 'data-ranking': this.ranking }, h('thead', {}, head), h('tbody', {}, ...rows)),
    );
  }

  private renderHeatmap(): void {
    const heat = this.found?.heatmap;
    if (!heat || heat.tokens.length === 0) {
      replaceChildren(this.heatmap);
      return;
    }
    const head = h(
      'tr',
      {},
      h('th', { scope: 'col', class: 'heat-corner' }, 'Unit'),
      ...heat.tokens.map((token) => h('th', { scope: 'col', class: 'heat-token', title: spokenToken(token) }, visibleToken(token))),
    );
    const rows = heat.units.map((unit, row) =>
      h(
        'tr',
        { 'data-unit': unit },
        h('th', { scope: 'row' }, this.unitButton(unit)),
        ...heat.values[row].map((value, column) =>
          h('td', { class: bucketClass(heat.buckets[row][column]), title: `unit ${unit} after ${spokenToken(heat.tokens[column])}: ${signed(value)}` }),
        ),
      ),
    );
    replaceChildren(
      this.heatmap,
      h(
        'table',
        { class: 'inside-heatmap', id: 'inside-heatmap', 'data-units': heat.units.length, 'data-tokens': heat.tokens.length },
        h(
          'caption',
          {},
          `Each unit's ${heat.state} after each token of the selection: orange above zero, blue below, as in the editor.${heat.truncated > 0 ? ` The first ${heat.tokens.length} tokens; ${formatInteger(heat.truncated)} more not shown.` : ''}`,
        ),
        h('thead', {}, head),
        h('tbody', {}, ...rows),
      ),
    );
  }
}
