// The forecast chart of a series run: history, test actuals, backtests of the model and baselines, and the forecast ahead.
import uPlot from 'uplot';
import type { ForecastChart as ForecastData } from '../src/shared/protocol';
import { h } from './dom';
import { PlotHost, commonPlotOptions, legendValue, themedAxis } from './plot';
import { readChartTheme, withAlpha, type ChartTheme } from './theme';
import { choice } from './ui';

const CHART_HEIGHT = 320;

/** How much of the data to show: all of it, or the end of the test part with the forecast. */
type ForecastView = 'all' | 'recent';

/** A drawn series: a stable id (for `data-series`), its uPlot settings and its values aligned with the x axis. */
interface ForecastLine {
  id: string;
  series: uPlot.Series;
  values: (number | null)[];
}

/** Display names and styles of the backtests the engine writes; unknown keys get the spare colours. */
const BACKTEST_LABELS: Record<string, string> = { model: 'Model (backtest)', naive: 'Naive', seasonalNaive: 'Seasonal naive' };

/** The forecast card: a chart with shaded test and forecast regions and a view toggle. */
export class ForecastChartView {
  /** The section to place in the page. */
  readonly element: HTMLElement;
  private readonly chartBox: HTMLElement;
  private readonly note: HTMLElement;
  private readonly hint = h('p', { class: 'hint' }, 'Drag across the chart to zoom, double-click to zoom out. Shaded: the test split and the forecast past the end of the data.');
  private readonly viewChoice: HTMLElement;
  private readonly plot: PlotHost;
  private data: ForecastData | null = null;
  private view: ForecastView = 'recent';

  /** Builds the (empty) card. */
  constructor() {
    this.viewChoice = choice<ForecastView>(
      'Show',
      [
        { value: 'recent', label: 'Recent' },
        { value: 'all', label: 'All' },
      ],
      this.view,
      (value) => {
        this.view = value;
        this.applyView();
      },
      { id: 'forecast-view' },
    );
    this.chartBox = h('div', { id: 'forecast-chart', class: 'chart', role: 'img', 'aria-label': 'Forecast chart' });
    this.note = h('p', { class: 'chart-empty' });
    this.element = h(
      'section',
      { class: 'card', id: 'forecast-section', 'aria-labelledby': 'forecast-heading' },
      h('header', { class: 'card-header' }, h('h2', { id: 'forecast-heading' }, 'Forecast'), h('div', { class: 'toolbar' }, this.viewChoice)),
      h('div', { class: 'chart-frame' }, this.chartBox, this.note),
      this.hint,
    );
    this.plot = new PlotHost(this.chartBox, CHART_HEIGHT);
  }

  /** Shows a forecast, or a note saying why there is none (`null` data). */
  show(data: ForecastData | null, emptyMessage: string): void {
    if (data !== null && data === this.data) return;
    this.data = data;
    this.note.textContent = emptyMessage;
    this.note.hidden = data !== null;
    this.hint.hidden = data === null;
    this.viewChoice.hidden = data === null;
    this.render();
  }

  /** Re-reads theme colours and rebuilds the chart. */
  themeChanged(): void {
    this.render();
  }

  private render(): void {
    const data = this.data;
    if (!data) {
      this.plot.clear();
      this.describe([], 0);
      return;
    }
    const theme = readChartTheme();
    const x = xValues(data);
    const lines = forecastLines(data, theme);
    const isTime = data.time !== null;
    const testIndex = clampIndex(data.testStart - data.firstRow, data.actual.length);
    this.plot.replace(
      {
        ...commonPlotOptions(theme),
        ms: 1,
        scales: { x: { time: isTime } },
        axes: [themedAxis(theme, isTime ? '' : 'Row', isTime ? { labelSize: 0, size: 44 } : {}), themedAxis(theme, data.target, { scale: 'y' })],
        series: [{ label: isTime ? 'Time' : 'Row', value: isTime ? formatTime : (_u, v) => (v === null ? '' : String(v)) }, ...lines.map((line) => line.series)],
        hooks: { drawClear: [(u) => shadeRegions(u, theme, x[testIndex], x[data.actual.length - 1], x[x.length - 1])] },
      },
      [x, ...lines.map((line) => line.values)],
    );
    this.applyView();
    this.describe(lines, x.length);
  }

  /** Zooms to the end of the data (the last few forecast lengths), or out to everything. */
  private applyView(): void {
    const plot = this.plot.current;
    const data = this.data;
    if (!plot || !data) return;
    const x = plot.data[0];
    const recentPoints = Math.max(8 * data.future.values.length, 96);
    const from = this.view === 'all' ? 0 : Math.max(0, x.length - recentPoints);
    plot.setScale('x', { min: x[from], max: x[x.length - 1] });
  }

  private describe(lines: ForecastLine[], points: number): void {
    this.chartBox.dataset.series = lines.map((line) => line.id).join(',');
    this.chartBox.dataset.points = String(points);
    this.chartBox.dataset.futurePoints = String(this.data?.future.values.length ?? 0);
    const names = lines.map((line) => line.series.label).join(', ');
    this.chartBox.setAttribute('aria-label', lines.length ? `Forecast chart of ${this.data?.target}: ${names}.` : 'Forecast chart (empty).');
  }
}

function clampIndex(index: number, length: number): number {
  return Math.min(Math.max(0, index), Math.max(0, length - 1));
}

/** The x value of every charted row and every forecast step: epoch ms with a time axis, row numbers without. */
function xValues(data: ForecastData): number[] {
  const actualX = data.time ?? data.actual.map((_, i) => data.firstRow + i);
  const lastRow = data.firstRow + data.actual.length - 1;
  const futureX = data.future.time ?? data.future.values.map((_, i) => lastRow + 1 + i);
  return [...actualX, ...futureX];
}

/** The series to draw, each padded with nulls to the full x axis. */
function forecastLines(data: ForecastData, theme: ChartTheme): ForecastLine[] {
  const rows = data.actual.length;
  const futureLength = data.future.values.length;
  const testIndex = clampIndex(data.testStart - data.firstRow, rows);
  const width = theme.highContrast ? 2.5 : 1.5;
  const padFuture = (values: (number | null)[]): (number | null)[] => [...values, ...new Array<null>(futureLength).fill(null)];
  const lines: ForecastLine[] = [];
  const line = (id: string, label: string, values: (number | null)[], style: uPlot.Series): void => {
    lines.push({ id, values, series: { label, points: { show: false }, value: legendValue, width, ...style } });
  };

  // History ends on the first test row so the two actual lines join.
  line('history', 'History', padFuture(data.actual.map((v, i) => (i <= testIndex ? v : null))), { stroke: withAlpha(theme.foreground, 0.5) });
  line('actual', 'Actual (test)', padFuture(data.actual.map((v, i) => (i >= testIndex ? v : null))), { stroke: theme.foreground });
  const spareColors = [theme.red, theme.orange];
  const styles: Record<string, uPlot.Series> = {
    model: { stroke: theme.blue, width: width + 0.5 },
    naive: { stroke: theme.yellow, dash: [5, 4] },
    seasonalNaive: { stroke: theme.green, dash: [2, 3] },
  };
  for (const [key, values] of Object.entries(data.backtest)) {
    const style = styles[key] ?? { stroke: spareColors[lines.length % spareColors.length], dash: [8, 3, 2, 3] };
    line(key, BACKTEST_LABELS[key] ?? key, padFuture(values), style);
  }
  // The forecast starts at the last actual value, so it reads as a continuation of the data.
  const forecast: (number | null)[] = new Array<number | null>(rows).fill(null);
  if (rows > 0) forecast[rows - 1] = data.actual[rows - 1];
  line('forecast', 'Forecast', [...forecast, ...data.future.values], { stroke: theme.blue, width: width + 1, dash: [7, 4] });
  return lines;
}

/** Shades the test split and the forecast region behind the series, with small captions. */
function shadeRegions(u: uPlot, theme: ChartTheme, testStartX: number, lastActualX: number, lastX: number): void {
  const { ctx, bbox } = u;
  const region = (fromX: number, toX: number, fill: string, caption: string): void => {
    const left = Math.max(bbox.left, u.valToPos(fromX, 'x', true));
    const right = Math.min(bbox.left + bbox.width, u.valToPos(toX, 'x', true));
    if (right <= left) return;
    ctx.fillStyle = fill;
    ctx.fillRect(left, bbox.top, right - left, bbox.height);
    ctx.font = `${Math.round(theme.fontSize * uPlot.pxRatio)}px ${theme.fontFamily}`;
    const textWidth = ctx.measureText(caption).width;
    if (textWidth + 8 * uPlot.pxRatio < right - left) {
      ctx.fillStyle = theme.muted;
      ctx.textBaseline = 'top';
      ctx.fillText(caption, left + 4 * uPlot.pxRatio, bbox.top + 4 * uPlot.pxRatio);
    }
  };
  ctx.save();
  region(testStartX, lastActualX, withAlpha(theme.foreground, 0.06), 'Test');
  region(lastActualX, lastX, withAlpha(theme.blue, 0.12), 'Forecast');
  ctx.restore();
}

const timeFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

function formatTime(_u: uPlot, value: number | null): string {
  return value === null ? '' : timeFormat.format(value);
}

