// A uPlot chart that fills its container's width, follows resizes, and styles its axes from the theme.
import uPlot from 'uplot';
import { formatNumber, tickLabels } from './format';
import type { ChartTheme } from './theme';

/** uPlot options without the size, which the host sets from its container. */
export type PlotOptions = Omit<uPlot.Options, 'width' | 'height'>;

/** Holds at most one uPlot instance inside a container, sized to the container's width. */
export class PlotHost {
  private plot: uPlot | null = null;

  /** Creates the host; the container should have a definite width (a block element). */
  constructor(
    readonly container: HTMLElement,
    private readonly height: number,
  ) {
    new ResizeObserver(() => {
      const width = this.width();
      if (this.plot && width > 0 && width !== this.plot.width) this.plot.setSize({ width, height: this.height });
    }).observe(container);
  }

  /** The chart, if one is shown. */
  get current(): uPlot | null {
    return this.plot;
  }

  /** Replaces the chart with a new one (after a change of series, scales or theme). */
  replace(options: PlotOptions, data: uPlot.AlignedData): uPlot {
    this.clear();
    this.plot = new uPlot({ ...options, width: this.width() || 600, height: this.height }, data, this.container);
    return this.plot;
  }

  /** Removes the chart. */
  clear(): void {
    this.plot?.destroy();
    this.plot = null;
  }

  private width(): number {
    return Math.floor(this.container.clientWidth);
  }
}

/** Sizes an axis to fit its longest tick label, so large numbers never clip. */
function fitTickLabels(self: uPlot, values: string[] | null, axisIndex: number): number {
  const axis = self.axes[axisIndex];
  const longest = (values ?? []).reduce((widest, value) => (value.length > widest.length ? value : widest), '');
  self.ctx.font = axis.font?.[0] ?? self.ctx.font;
  const labelWidth = longest ? self.ctx.measureText(longest).width / uPlot.pxRatio : 0;
  return Math.ceil(labelWidth + (axis.ticks?.size ?? 4) + (axis.gap ?? 5) + 6);
}

/** An axis styled from the theme; a y axis (any scale but `x`) sizes itself to its tick labels. */
export function themedAxis(theme: ChartTheme, label: string, extra: uPlot.Axis = {}): uPlot.Axis {
  const isYAxis = extra.scale !== undefined && extra.scale !== 'x';
  return {
    stroke: theme.muted,
    font: theme.font,
    labelFont: theme.font,
    label,
    labelSize: 18,
    labelGap: 2,
    gap: 4,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1, size: 4 },
    size: isYAxis ? fitTickLabels : 32,
    // A value axis's labels: uPlot passes the spacing it chose between ticks (a log scale's ticks have none).
    ...(isYAxis
      ? {
          values: (self: uPlot, ticks: number[], _axis: number, _space: number, spacing: number) =>
            tickLabels(ticks, self.scales[extra.scale as string]?.distr === 3 ? null : spacing),
        }
      : {}),
    ...extra,
  };
}

/** The common cursor and legend settings of the dashboard's charts. */
export function commonPlotOptions(theme: ChartTheme): Pick<uPlot.Options, 'cursor' | 'legend' | 'focus'> {
  return {
    cursor: { drag: { x: true, y: false, setScale: true }, points: { size: theme.highContrast ? 8 : 6 }, focus: { prox: 24 } },
    legend: { live: true },
    focus: { alpha: 0.35 },
  };
}

/** Formats a series value in the legend (empty while the cursor is off the chart or the series has no point there). */
export function legendValue(_u: uPlot, value: number | null): string {
  return value === null || value === undefined ? '' : formatNumber(value);
}
