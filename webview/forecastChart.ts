// The forecast chart of a series run: history, test actuals, backtests of the model and baselines, and the forecast ahead.
import uPlot from 'uplot';
import { h } from './dom';
import { formatNumber } from './format';
import { forecasterLabels, forecasterStyles, type ForecasterKey } from './forecasters';
import { PlotHost, commonPlotOptions, legendValue, themedAxis } from './plot';
import { readChartTheme, withAlpha, type ChartTheme } from './theme';
import { choice } from './ui';
import type { ForecastBand, ForecastChart as ForecastData, RunSummary } from '../src/shared/runFolder';

const CHART_HEIGHT = 320;

/** How much of the data to show: all of it, or the end of the test part with the forecast. */
type ForecastView = 'all' | 'recent';

/** A drawn series: a stable id (for `data-series`), its uPlot settings and its values aligned with the x axis. */
interface ForecastLine {
  id: string;
  series: uPlot.Series;
  values: (number | null)[];
}

/** A prediction interval drawn as a uPlot band between two invisible edge series, aligned with the x axis. */
interface IntervalBand {
  level: number;
  lower: (number | null)[];
  upper: (number | null)[];
}

type SeriesSummary = Extract<RunSummary, { task: 'series' }>;

const HINT = 'Drag across the chart to zoom, double-click to zoom out. Shaded: the test split and the forecast past the end of the data.';

/** The forecast card: a chart with shaded test and forecast regions and a view toggle. */
export class ForecastChartView {
  /** The section to place in the page. */
  readonly element: HTMLElement;
  private readonly chartBox: HTMLElement;
  private readonly note: HTMLElement;
  private readonly hint = h('p', { class: 'hint' }, HINT);
  private readonly viewChoice: HTMLElement;
  private readonly plot: PlotHost;
  private data: ForecastData | null = null;
  private summary: SeriesSummary | null = null;
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

  /** Shows a forecast, or a note saying why there is none (`null` data); the run's summary names the seasonal period. */
  show(data: ForecastData | null, emptyMessage: string, summary: RunSummary | null = null): void {
    const seriesSummary = summary?.task === 'series' ? summary : null;
    if (data !== null && data === this.data && seriesSummary?.season?.label === this.summary?.season?.label) return;
    this.data = data;
    this.summary = seriesSummary;
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
      this.describe([], [], 0);
      return;
    }
    const theme = readChartTheme();
    const x = xValues(data);
    const bands = intervalBands(data);
    const lines = forecastLines(data, theme, forecasterLabels(this.summary));
    const edges = bandEdges(bands, theme);
    const isTime = data.time !== null;
    const testIndex = clampIndex(data.testStart - data.firstRow, data.actual.length);
    // The band edges come first so the lines are drawn over the shading; their legend entries are moved after the lines.
    const allSeries = [...edges.map((edge) => edge.series), ...lines.map((line) => line.series)];
    const common = commonPlotOptions(theme);
    const isEdge = (seriesIndex: number): boolean => seriesIndex >= 1 && seriesIndex <= edges.length;
    const plot = this.plot.replace(
      {
        ...common,
        ms: 1,
        scales: { x: { time: isTime } },
        // The invisible band edges never take the hover focus from the lines.
        cursor: {
          ...common.cursor,
          focus: {
            prox: common.cursor?.focus?.prox ?? 24,
            dist: (_u, seriesIndex, _dataIndex, valPos, curPos) => (isEdge(seriesIndex) ? Infinity : valPos - curPos),
          },
        },
        axes: [themedAxis(theme, isTime ? '' : 'Row', isTime ? { labelSize: 0, size: 44 } : {}), themedAxis(theme, data.target, { scale: 'y' })],
        series: [{ label: isTime ? 'Time' : 'Row', value: isTime ? formatTime : (_u, v) => (v === null ? '' : String(v)) }, ...allSeries],
        bands: bands.map((_band, i) => ({ series: [1 + 2 * i, 2 + 2 * i] as [number, number], fill: bandFill(theme, bands.length, i) })),
        hooks: {
          drawClear: [(u) => shadeRegions(u, theme, x[testIndex], x[data.actual.length - 1], x[x.length - 1])],
          // Toggling a band in the legend (its upper edge) toggles its lower edge too.
          setSeries: [
            (u, seriesIndex, options) => {
              if (seriesIndex !== null && options.show !== undefined && isEdge(seriesIndex) && seriesIndex % 2 === 1)
                u.setSeries(seriesIndex + 1, { show: options.show });
            },
          ],
        },
      },
      [x, ...edges.map((edge) => edge.values), ...lines.map((line) => line.values)],
    );
    arrangeBandLegend(plot, edges.length);
    this.hint.textContent = bands.length
      ? `${HINT.slice(0, -1)}, and the model’s ${bands
          .map((band) => `${band.level}%`)
          .reverse()
          .join(' and ')} prediction intervals (darker: narrower).`
      : HINT;
    this.applyView();
    this.describe(lines, bands, x.length);
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

  private describe(lines: ForecastLine[], bands: IntervalBand[], points: number): void {
    this.chartBox.dataset.series = lines.map((line) => line.id).join(',');
    this.chartBox.dataset.bands = bands.map((band) => band.level).join(',');
    this.chartBox.dataset.points = String(points);
    this.chartBox.dataset.futurePoints = String(this.data?.future.values.length ?? 0);
    const names = [...lines.map((line) => line.series.label), ...bands.map((band) => `${band.level}% interval`)].join(', ');
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
function forecastLines(data: ForecastData, theme: ChartTheme, labels: Record<ForecasterKey, string>): ForecastLine[] {
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
  const styles: Record<string, uPlot.Series> = forecasterStyles(theme, width);
  const names: Record<string, string> = { ...labels, model: 'Model (backtest)' };
  for (const [key, values] of Object.entries(data.backtest)) {
    const style = styles[key] ?? { stroke: spareColors[lines.length % spareColors.length], dash: [8, 3, 2, 3] };
    line(key, names[key] ?? key, padFuture(values), style);
  }
  // The forecast starts at the last actual value, so it reads as a continuation of the data.
  const forecast: (number | null)[] = new Array<number | null>(rows).fill(null);
  if (rows > 0) forecast[rows - 1] = data.actual[rows - 1];
  line('forecast', 'Forecast', [...forecast, ...data.future.values], { stroke: theme.blue, width: width + 1, dash: [7, 4] });
  return lines;
}

/**
 * The model's prediction intervals over the backtest and the forecast, aligned with the x axis, widest first (drawn
 * first, so narrower ones shade over it). Older runs have none.
 */
function intervalBands(data: ForecastData): IntervalBand[] {
  const rows = data.actual.length;
  const futureLength = data.future.values.length;
  const fit = (values: (number | null)[] | undefined, length: number): (number | null)[] => Array.from({ length }, (_, i) => finiteOrNull(values?.[i]));
  const find = (bands: ForecastBand[] | undefined, level: number) => bands?.find((band) => band.level === level);
  const levels = [...new Set([...(data.backtestBands ?? []), ...(data.future.bands ?? [])].map((band) => band.level))]
    .filter(Number.isFinite)
    .sort((a, b) => b - a);
  return levels
    .map((level) => {
      const past = find(data.backtestBands, level);
      const future = find(data.future.bands, level);
      return {
        level,
        lower: [...fit(past?.lower, rows), ...fit(future?.lower, futureLength)],
        upper: [...fit(past?.upper, rows), ...fit(future?.upper, futureLength)],
      };
    })
    .filter((band) => band.lower.some((v, i) => v !== null && band.upper[i] !== null));
}

function finiteOrNull(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value;
}

/** The translucent fill of band `index` of `count` (widest first): the widest lightest; overlapping bands add up. */
function bandFill(theme: ChartTheme, count: number, index: number): string {
  // Translucent blue reads weaker on a dark background: shade a little more there.
  const alpha = theme.highContrast ? 0.18 : isDark(theme.background) ? 0.15 : 0.11;
  return withAlpha(theme.blue, count > 1 && index === 0 ? alpha * 0.8 : alpha);
}

/** Whether a `rgb(...)` colour is dark (relative luminance below one half). */
function isDark(rgb: string): boolean {
  const [r = 0, g = 0, b = 0] = rgb.match(/[\d.]+/g)?.map(Number) ?? [];
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 < 0.5;
}

/** The two edge series of each band (upper, then lower): no line and no hover point; the upper one carries the legend entry. */
function bandEdges(bands: IntervalBand[], theme: ChartTheme): { series: uPlot.Series; values: (number | null)[] }[] {
  return bands.flatMap((band, i) => {
    const edge = (label: string, values: (number | null)[], legendFill?: string): { series: uPlot.Series; values: (number | null)[] } => ({
      values,
      series: {
        label,
        width: 0,
        stroke: 'transparent',
        // The legend swatch: the band's colour, a little stronger than its fill so it reads on the card background.
        fill: legendFill,
        points: { show: false, stroke: 'transparent', fill: 'transparent' },
        value: (_u, _v, _seriesIndex, index) => {
          const lower = index === null ? null : band.lower[index];
          const upper = index === null ? null : band.upper[index];
          return lower === null || upper === null ? '' : `${formatNumber(lower)} – ${formatNumber(upper)}`;
        },
      },
    });
    const swatch = withAlpha(theme.blue, Math.min(1, 0.25 + 0.2 * i));
    return [edge(`${band.level}% interval`, band.upper, swatch), edge(`${band.level}% lower`, band.lower)];
  });
}

/** Moves the bands' legend entries after the lines (narrowest first) and hides the lower edges' entries. */
function arrangeBandLegend(plot: uPlot, edgeCount: number): void {
  const entries = plot.root.querySelectorAll<HTMLElement>('.u-legend .u-series');
  if (entries.length < edgeCount + 1) return;
  const parent = entries[0].parentElement;
  for (let i = edgeCount - 1; i >= 1; i -= 2) {
    const upper = entries[i];
    const lower = entries[i + 1];
    lower.hidden = true;
    lower.setAttribute('aria-hidden', 'true');
    parent?.append(upper, lower);
  }
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
      // uPlot leaves the alignment of its last axis labels (often right) on the context.
      ctx.textAlign = 'left';
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
