// Error by horizon step: the test MAE at each step ahead h = 1…H, for the model and each baseline of a series run.
import type uPlot from 'uplot';
import { h } from './dom';
import { formatNumber } from './format';
import { forecasterLabels, forecasterStyles, seriesForecasters, type ForecasterKey } from './forecasters';
import { PlotHost, commonPlotOptions, legendValue, themedAxis } from './plot';
import { readChartTheme } from './theme';
import type { RunSummary } from '../src/shared/runFolder';

const CHART_HEIGHT = 220;

type SeriesSummary = Extract<RunSummary, { task: 'series' }>;

/** One forecaster's MAE per step. */
interface StepLine {
  id: ForecasterKey;
  label: string;
  mae: number[];
}

/** The card with the error-by-step chart; hidden for runs without per-step errors (text runs, older series runs). */
export class HorizonErrorChart {
  /** The section to place in the page. */
  readonly element: HTMLElement;
  private readonly chartBox: HTMLElement;
  private readonly plot: PlotHost;
  private summary: SeriesSummary | null = null;
  /** What the chart shows, to skip rebuilding it when the host resends the same run. */
  private shownKey = '';

  /** Builds the (hidden, empty) card. */
  constructor() {
    this.chartBox = h('div', { id: 'horizon-chart', class: 'chart', role: 'img', 'aria-label': 'Error by forecast step' });
    this.element = h(
      'section',
      { class: 'card', id: 'horizon-section', 'aria-labelledby': 'horizon-heading', hidden: true },
      h('header', { class: 'card-header' }, h('h2', { id: 'horizon-heading' }, 'Error by forecast step')),
      h('div', { class: 'chart-frame' }, this.chartBox),
      h('p', { class: 'hint' }, 'Mean absolute error on the test split at each step ahead of the forecast origin, in the target’s units.'),
    );
    this.plot = new PlotHost(this.chartBox, CHART_HEIGHT);
  }

  /** Shows a run's per-step errors; hides the card when it has none. */
  show(summary: RunSummary | null): void {
    const next = summary?.task === 'series' && summary.metrics.maeByStep?.length ? summary : null;
    const key = next ? JSON.stringify([next.season?.label, seriesForecasters(next).map(({ metrics }) => metrics?.maeByStep)]) : '';
    if (key === this.shownKey && this.plot.current !== null) return;
    this.shownKey = key;
    this.summary = next;
    this.element.hidden = next === null;
    this.render();
  }

  /** Re-reads theme colours and rebuilds the chart. */
  themeChanged(): void {
    this.render();
  }

  private render(): void {
    const summary = this.summary;
    if (!summary) {
      this.plot.clear();
      this.describe([]);
      return;
    }
    const theme = readChartTheme();
    const labels = forecasterLabels(summary);
    const width = theme.highContrast ? 2.5 : 1.5;
    const styles = forecasterStyles(theme, width);
    const steps = summary.metrics.maeByStep?.length ?? 0;
    const lines = seriesForecasters(summary).flatMap(({ key, metrics }): StepLine[] => {
      const mae = metrics?.maeByStep;
      return mae && mae.length === steps ? [{ id: key, label: labels[key], mae }] : [];
    });
    const x = Array.from({ length: steps }, (_, i) => i + 1);
    const showPoints = steps <= 48;
    this.plot.replace(
      {
        ...commonPlotOptions(theme),
        cursor: { ...commonPlotOptions(theme).cursor, drag: { x: false, y: false, setScale: false } },
        scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] } },
        axes: [
          themedAxis(theme, 'Steps ahead', {
            incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500],
            values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')),
          }),
          themedAxis(theme, 'MAE', { scale: 'y' }),
        ],
        series: [
          { label: 'Step', value: (_u, v) => (v === null ? '' : `h = ${v}`) },
          ...lines.map((line): uPlot.Series => ({
            ...styles[line.id],
            label: line.label,
            value: legendValue,
            points: { show: showPoints, size: theme.highContrast ? 6 : 4, fill: styles[line.id].stroke as string },
          })),
        ],
      },
      [x, ...lines.map((line) => line.mae)],
    );
    this.describe(lines);
  }

  private describe(lines: StepLine[]): void {
    this.chartBox.dataset.series = lines.map((line) => line.id).join(',');
    this.chartBox.dataset.steps = String(lines[0]?.mae.length ?? 0);
    const model = lines.find((line) => line.id === 'model');
    const summary = model
      ? ` The model’s MAE goes from ${formatNumber(model.mae[0])} at step 1 to ${formatNumber(model.mae[model.mae.length - 1])} at step ${model.mae.length}.`
      : '';
    this.chartBox.setAttribute(
      'aria-label',
      lines.length ? `Error by forecast step: ${lines.map((line) => line.label).join(', ')}.${summary}` : 'Error by forecast step (empty).',
    );
  }
}
