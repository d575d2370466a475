// The live loss chart: training loss per report and validation loss per evaluation, for the selected and compared runs, and the selected run's learning rate.
import uPlot from 'uplot';
import { coalesceToFrame, h } from './dom';
import { formatNumber } from './format';
import { epochAt, type LossHistory } from './lossHistory';
import { PlotHost, commonPlotOptions, legendValue, themedAxis, type PlotOptions } from './plot';
import { LIMITS, type LossXAxis, type UiStateStore } from './state';
import { readChartTheme, withAlpha, type ChartTheme } from './theme';
import { checkbox, choice, slider } from './ui';

/** A run whose curves the chart draws. */
export interface LossRun {
  id: string;
  name: string;
  history: LossHistory;
  /** What each evaluation during training scored, e.g. "8k-character sample": the validation curve's label says it. */
  validationScope: string;
}

/** One drawn line: its uPlot series settings and its points. */
interface PlotLine {
  series: uPlot.Series;
  x: number[];
  y: (number | null)[];
}

const CHART_HEIGHT = 300;

/** The short label of each marker line on the chart. */
const MARK_LABELS = { resumed: 'resumed', pytorch: 'PyTorch →', imported: 'imported' } as const;

/**
 * Exponential moving average with TensorBoard's debiasing, so the start of the curve is not pulled towards zero.
 * `weight` 0 returns the values unchanged.
 */
export function smoothEma(values: number[], weight: number): number[] {
  if (weight <= 0) return values;
  const smoothed = new Array<number>(values.length);
  let average = 0;
  let correction = 1;
  for (let i = 0; i < values.length; i++) {
    average = average * weight + (1 - weight) * values[i];
    correction *= weight;
    smoothed[i] = average / (1 - correction);
  }
  return smoothed;
}

/** The loss chart with its toolbar (x axis, smoothing, log scale). */
export class LossChart {
  /** The section to place in the page. */
  readonly element: HTMLElement;
  private readonly chartBox: HTMLElement;
  private readonly emptyNote: HTMLElement;
  private readonly plot: PlotHost;
  private runs: LossRun[] = [];
  private theme: ChartTheme | null = null;
  /** Describes the series and scales of the current uPlot instance; a change rebuilds it, otherwise data is swapped in. */
  private layoutKey = '';
  /** Redraws on the next frame; many data messages within a frame cost one redraw. */
  private readonly scheduleRedraw = coalesceToFrame(() => this.redraw());
  private redraws = 0;

  /** Builds the chart; UI choices are read from and saved to `ui`. */
  constructor(private readonly ui: UiStateStore) {
    const state = ui.current;
    const xAxis = choice<LossXAxis>(
      'X axis',
      [
        { value: 'step', label: 'Step' },
        { value: 'epoch', label: 'Epoch' },
      ],
      state.xAxis,
      (value) => this.changeOption({ xAxis: value }),
      {
        id: 'loss-x-axis',
      },
    );
    const smoothing = slider(
      'Smoothing',
      { ...LIMITS.smoothing, step: 0.01 },
      state.smoothing,
      (value) => (value === 0 ? 'off' : value.toFixed(2)),
      (value) => this.changeOption({ smoothing: value }),
      { id: 'loss-smoothing', title: 'Exponential moving average of the training loss' },
    );
    const logScale = checkbox('Log scale', state.logScale, (checked) => this.changeOption({ logScale: checked }), { id: 'loss-log-scale' });

    this.chartBox = h('div', { id: 'loss-chart', class: 'chart', role: 'img', 'aria-label': 'Loss chart' });
    this.emptyNote = h('p', { class: 'chart-empty', hidden: true });
    this.element = h(
      'section',
      { class: 'card', id: 'loss-section', 'aria-labelledby': 'loss-heading' },
      h('header', { class: 'card-header' }, h('h2', { id: 'loss-heading' }, 'Loss')),
      h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Loss chart options' }, xAxis, smoothing.element, logScale),
      h('div', { class: 'chart-frame' }, this.chartBox, this.emptyNote),
    );
    this.plot = new PlotHost(this.chartBox, CHART_HEIGHT);
  }

  /**
   * Shows these runs' curves (call again after new metrics: many calls within a frame cost one redraw). The first run is
   * the selected one, which the data attributes describe; `emptyMessage` shows while there are no points.
   */
  setRuns(runs: LossRun[], emptyMessage: string): void {
    this.runs = runs;
    this.emptyNote.textContent = emptyMessage;
    this.scheduleRedraw();
  }

  /** Re-reads theme colours and rebuilds the chart. */
  themeChanged(): void {
    this.theme = null;
    this.layoutKey = '';
    this.scheduleRedraw();
  }

  private changeOption(patch: Partial<{ xAxis: LossXAxis; smoothing: number; logScale: boolean }>): void {
    this.ui.update(patch);
    this.scheduleRedraw();
  }

  private redraw(): void {
    this.theme ??= readChartTheme();
    const selected = this.runs[0];
    const hasData = this.runs.some((run) => run.history.train.loss.length + run.history.val.loss.length > 0);
    this.describe(selected);
    this.emptyNote.hidden = hasData;
    if (!hasData) {
      this.plot.clear();
      this.layoutKey = '';
      return;
    }
    const { xAxis, logScale } = this.ui.current;
    const lines = this.plotLines(this.theme);
    const data = uPlot.join(lines.map((line) => [line.x, line.y] as uPlot.AlignedData));
    const layoutKey = JSON.stringify([
      xAxis,
      logScale,
      lines.map(({ series }) => [series.label, series.stroke, series.dash, series.points?.show, series.scale]),
    ]);
    if (layoutKey !== this.layoutKey || !this.plot.current) {
      this.layoutKey = layoutKey;
      this.plot.replace(this.options(lines, this.theme), data);
    } else {
      this.plot.current.setData(data);
    }
    this.redraws++;
    this.chartBox.dataset.redraws = String(this.redraws);
  }

  /** Writes what is drawn for the selected run onto the chart element (raw values), for tests and assistive text. */
  private describe(selected: LossRun | undefined): void {
    const train = selected?.history.train.loss ?? [];
    const val = selected?.history.val.loss ?? [];
    const box = this.chartBox.dataset;
    box.runId = selected?.id ?? '';
    box.trainPoints = String(train.length);
    box.valPoints = String(val.length);
    const lr = selected?.history.lr.loss ?? [];
    box.lrPoints = String(lr.length);
    box.lastLr = lr.length ? String(lr[lr.length - 1]) : '';
    box.firstLoss = train.length ? String(train[0]) : '';
    box.lastLoss = train.length ? String(train[train.length - 1]) : '';
    box.comparedRuns = String(Math.max(0, this.runs.length - 1));
    box.marks = (selected?.history.marks ?? []).map((m) => `${m.mark}@${m.step}`).join(',');
    box.xAxis = this.ui.current.xAxis;
    box.logScale = String(this.ui.current.logScale);
    const summary = train.length
      ? `Training loss from ${formatNumber(train[0])} to ${formatNumber(train[train.length - 1])} over ${train.length} reports` +
        (val.length ? `; latest validation loss during training ${formatNumber(val[val.length - 1])} (${selected?.validationScope}).` : '.')
      : 'No loss reported yet.';
    const marks = (selected?.history.marks ?? []).map((m) => `${m.message} at step ${m.step}.`).join(' ');
    this.chartBox.setAttribute('aria-label', `Loss chart. ${summary}${marks ? ` ${marks}` : ''}`);
  }

  /** The lines to draw: one colour per run when comparing, train and validation colours for a single run. */
  private plotLines(theme: ChartTheme): PlotLine[] {
    const { xAxis, smoothing, logScale } = this.ui.current;
    const comparing = this.runs.length > 1;
    const palette = [theme.blue, theme.purple, theme.green, theme.yellow, theme.red, theme.orange];
    const positive = (values: number[]): (number | null)[] => (logScale ? values.map((v) => (v > 0 ? v : null)) : values);
    const width = theme.highContrast ? 2.5 : 1.75;
    const lines: PlotLine[] = [];
    this.runs.forEach((run, index) => {
      const { train, val } = run.history;
      const trainColor = palette[index % palette.length];
      const valColor = comparing ? trainColor : theme.orange;
      const prefix = comparing ? `${run.name} ` : '';
      if (index === 0 && smoothing > 0 && train.loss.length > 0) {
        lines.push({
          series: { label: `${prefix}train (raw)`, stroke: withAlpha(trainColor, 0.3), width: 1, points: { show: false }, value: legendValue },
          x: train[xAxis],
          y: positive(train.loss),
        });
      }
      lines.push({
        series: { label: `${prefix}train${smoothing > 0 ? ' (smoothed)' : ''}`, stroke: trainColor, width, points: { show: false }, value: legendValue },
        x: train[xAxis],
        y: positive(smoothEma(train.loss, smoothing)),
      });
      lines.push({
        series: {
          label: comparing ? `${prefix}validation (${run.validationScope})` : `validation during training (${run.validationScope})`,
          stroke: valColor,
          width,
          dash: comparing ? [6, 4] : undefined,
          spanGaps: true,
          points: { show: val.loss.length <= 200, size: 6, fill: valColor, stroke: valColor },
          value: legendValue,
        },
        x: val[xAxis],
        y: positive(val.loss),
      });
      if (index === 0 && run.history.lr.loss.length > 0) {
        lines.push({
          series: {
            label: 'learning rate',
            scale: 'lr',
            stroke: withAlpha(theme.muted, 0.8),
            width: 1,
            dash: [2, 3],
            points: { show: false },
            value: (_u, v) => (v === null ? '' : v.toExponential(2)),
          },
          x: run.history.lr[xAxis],
          y: run.history.lr.loss,
        });
      }
    });
    return lines;
  }

  private options(lines: PlotLine[], theme: ChartTheme): PlotOptions {
    const { xAxis, logScale } = this.ui.current;
    const lrAxis = lines.some((line) => line.series.scale === 'lr')
      ? [themedAxis(theme, 'Learning rate', { scale: 'lr', side: 1, grid: { show: false } })]
      : [];
    return {
      ...commonPlotOptions(theme),
      // A log scale fits the data, not whole powers of ten: losses usually span less than one.
      scales: {
        x: { time: false },
        y: logScale ? { distr: 3, log: 10, range: (_u, min, max) => uPlot.rangeLog(min, max, 10, false) } : { auto: true },
        lr: { range: (_u, _min, max) => [0, max * 1.05] },
      },
      axes: [themedAxis(theme, xAxis === 'step' ? 'Step' : 'Epoch'), themedAxis(theme, logScale ? 'Loss (log scale)' : 'Loss', { scale: 'y' }), ...lrAxis],
      series: [{ label: xAxis === 'step' ? 'Step' : 'Epoch', value: (_u, v) => (v === null ? '' : formatNumber(v, 5)) }, ...lines.map((line) => line.series)],
      plugins: [{ hooks: { draw: (u: uPlot) => this.drawMarks(u, theme) } }],
    };
  }

  /** Draws the selected run's marks (resumed, continued in PyTorch, imported) as dashed vertical lines, each labelled at its top. */
  private drawMarks(u: uPlot, theme: ChartTheme): void {
    const selected = this.runs[0];
    if (!selected) return;
    const { xAxis } = this.ui.current;
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    ctx.save();
    ctx.strokeStyle = theme.purple;
    ctx.fillStyle = theme.purple;
    ctx.lineWidth = (theme.highContrast ? 2 : 1.25) * uPlot.pxRatio;
    ctx.setLineDash([5 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
    ctx.font = `${Math.round(theme.fontSize * 0.92 * uPlot.pxRatio)}px ${theme.fontFamily}`;
    ctx.textBaseline = 'top';
    for (const mark of selected.history.marks) {
      const value = xAxis === 'step' ? mark.step : epochAt(selected.history.train, mark.step);
      if (value === null) continue;
      const x = Math.round(u.valToPos(value, 'x', true));
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      // The label right of its line, or left of it where it would run past the plot.
      const label = MARK_LABELS[mark.mark];
      const gap = 4 * uPlot.pxRatio;
      const width = ctx.measureText(label).width;
      ctx.fillText(label, x + gap + width > u.bbox.left + u.bbox.width ? x - gap - width : x + gap, top + gap);
    }
    ctx.restore();
  }
}
