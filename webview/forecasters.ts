// The series forecasters the dashboard compares (the model and its baselines): names and line styles shared by the charts.
import type uPlot from 'uplot';
import type { ChartTheme } from './theme';
import type { RunSummary, SeriesMetrics } from '../src/shared/runFolder';

/** The keys the engine uses for the model's and the baselines' backtests and metrics. */
export type ForecasterKey = 'model' | 'naive' | 'seasonalNaive' | 'ets';

type SeriesSummary = Extract<RunSummary, { task: 'series' }>;

/** The seasonal-naive baseline's name with its period when known, e.g. "Seasonal naive, 7 days". */
export function seasonalNaiveLabel(summary: SeriesSummary | null | undefined): string {
  const label = summary?.season?.label;
  return label ? `Seasonal naive, ${label}` : 'Seasonal naive';
}

/** Short chart names of the forecasters (the model's backtest is named by the caller). */
export function forecasterLabels(summary: SeriesSummary | null | undefined): Record<ForecasterKey, string> {
  return { model: 'Model', naive: 'Naive', seasonalNaive: seasonalNaiveLabel(summary), ets: 'ETS' };
}

/** The line style of each forecaster: the model solid blue, the baselines dashed in their own theme colours. */
export function forecasterStyles(theme: ChartTheme, width: number): Record<ForecasterKey, uPlot.Series> {
  return {
    model: { stroke: theme.blue, width: width + 0.5 },
    naive: { stroke: theme.yellow, width, dash: [5, 4] },
    seasonalNaive: { stroke: theme.green, width, dash: [2, 3] },
    ets: { stroke: theme.purple, width, dash: [9, 3, 2, 3] },
  };
}

/** The model and the baselines that have metrics, in table order, with their metrics (null: the baseline does not apply). */
export function seriesForecasters(summary: SeriesSummary): { key: ForecasterKey; metrics: SeriesMetrics | null }[] {
  const rows: { key: ForecasterKey; metrics: SeriesMetrics | null }[] = [
    { key: 'model', metrics: summary.metrics },
    { key: 'naive', metrics: summary.baselines.naive },
    { key: 'seasonalNaive', metrics: summary.baselines.seasonalNaive },
  ];
  // Older runs have no ETS baseline at all (undefined); null means it could not be fitted.
  if (summary.baselines.ets !== undefined) rows.push({ key: 'ets', metrics: summary.baselines.ets });
  return rows;
}
