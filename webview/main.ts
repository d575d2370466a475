// The dashboard webview's entry: builds the page inside #app and routes messages between the host and the panels.
import type { HostToWebview, RunListItem, TrainProgress } from '../src/shared/protocol';
import { ClassifyPanel } from './classifyPanel';
import { coalesceToFrame, h } from './dom';
import { ForecastChartView } from './forecastChart';
import { HorizonErrorChart } from './horizonChart';
import { InsidePanel } from './insidePanel';
import { LossChart, type LossRun } from './lossChart';
import { LossHistory } from './lossHistory';
import { MetricsPanel } from './metricsTable';
import { RunHeader } from './runHeader';
import { RunsList } from './runsList';
import { UiStateStore } from './state';
import { TextPanel } from './textPanel';
import { trainingValidationScope } from './validation';
import { onThemeChange } from './theme';
import { registerControls } from './ui';
import { postToHost } from './vscodeApi';
import type { ForecastChart } from '../src/shared/runFolder';

registerControls();

const ui = new UiStateStore();
let runs: RunListItem[] = [];
const histories = new Map<string, LossHistory>();
const progressByRun = new Map<string, TrainProgress>();
const forecasts = new Map<string, ForecastChart>();
/** Whether the host's first `dashboard/state` (after `webview/ready`) is still to come. */
let awaitingFirstState = true;
/** The selection the host last reported, to notice when the host changes it (e.g. a new training run). */
let hostSelectedRunId: string | null = null;
/** The selected run's status when last shown, to notice when its training ends. */
let shownStatus: RunListItem['status'] | null = null;
let lastRequestId = 0;

const runsList = new RunsList({ select: selectRun, compare: compareRuns, stop: stopRun });
const header = new RunHeader(stopRun, continueRun);
const lossChart = new LossChart(ui);
const metrics = new MetricsPanel();
const textPanel = new TextPanel(ui, postToHost, () => ++lastRequestId);
const insidePanel = new InsidePanel(postToHost);
const classifyPanel = new ClassifyPanel(ui, postToHost, () => ++lastRequestId);
const forecastView = new ForecastChartView();
const horizonChart = new HorizonErrorChart();

/** Progress reports not shown yet: the page shows the latest of each run once per frame. */
const pendingProgress = new Map<string, TrainProgress>();
const showPendingProgress = coalesceToFrame(() => {
  for (const progress of pendingProgress.values()) {
    runsList.showProgress(progress);
    if (progress.runId === ui.current.selectedRunId) header.showProgress(progress);
  }
  pendingProgress.clear();
});

const requestError = h('p', { id: 'request-error', class: 'banner banner-error', role: 'alert', hidden: true });
const emptyState = h(
  'div',
  { id: 'empty-state', class: 'empty-state', hidden: true },
  h('h1', {}, 'No runs yet'),
  h('p', {}, 'Train a model: right-click a file or a selection → ', h('strong', {}, 'Train RNN…')),
  h(
    'p',
    { class: 'muted' },
    'Text files train a next-token model; CSV files of texts and labels train a classifier, other CSV files a forecaster. Runs appear here as they train.',
  ),
);
const details = h(
  'div',
  { id: 'run-details', class: 'run-details', hidden: true },
  header.element,
  h('div', { class: 'card-grid' }, lossChart.element, metrics.element),
  textPanel.element,
  insidePanel.element,
  classifyPanel.element,
  forecastView.element,
  horizonChart.element,
);

/** Mounts the page and tells the host it is ready (the script may run before <body> exists). */
function start(): void {
  const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
  app.append(h('div', { class: 'layout' }, runsList.element, h('main', { id: 'run-view', class: 'content' }, requestError, emptyState, details)));
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string') handleMessage(message as HostToWebview);
  });
  onThemeChange(() => {
    lossChart.themeChanged();
    classifyPanel.themeChanged();
    forecastView.themeChanged();
    horizonChart.themeChanged();
  });
  postToHost({ type: 'webview/ready' });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();

function handleMessage(message: HostToWebview): void {
  switch (message.type) {
    case 'dashboard/state':
      receiveRuns(message.runs, message.selectedRunId);
      break;
    case 'run/metrics': {
      if (!shownRunIds().includes(message.runId)) break;
      const history = (!message.reset && histories.get(message.runId)) || new LossHistory();
      history.append(message.lines);
      histories.set(message.runId, history);
      showLoss();
      break;
    }
    case 'run/progress':
      progressByRun.set(message.progress.runId, message.progress);
      pendingProgress.set(message.progress.runId, message.progress);
      showPendingProgress();
      break;
    case 'run/forecast':
      forecasts.set(message.runId, message.chart);
      if (message.runId === ui.current.selectedRunId) showSelectedRun();
      break;
    case 'predict/result':
      textPanel.showPredictions(message);
      break;
    case 'generate/result':
      textPanel.showGeneration(message);
      break;
    case 'classify/result':
      classifyPanel.showResult(message);
      break;
    case 'inside/units':
      insidePanel.receive(message);
      insidePanel.show(ui.current.selectedRunId);
      break;
    case 'request/error':
      if (!textPanel.showError(message.requestId, message.message) && !classifyPanel.showError(message.requestId, message.message)) {
        requestError.hidden = false;
        requestError.textContent = message.message;
      }
      break;
  }
}

/**
 * Takes the host's run list; on the first one after loading, restores the remembered comparison, and the selection:
 * the host's when it has one (it chose a run, e.g. a new training run, while the page was hidden), else the remembered one.
 * A host selection not listed yet is taken once it is.
 */
function receiveRuns(nextRuns: RunListItem[], hostSelection: string | null): void {
  runs = nextRuns;
  const exists = (id: string | null): id is string => id !== null && runs.some((run) => run.id === id);
  const current = ui.current.selectedRunId;
  if (awaitingFirstState) {
    awaitingFirstState = false;
    const remembered = ui.current.comparedRunIds.filter(exists);
    ui.update({ comparedRunIds: remembered });
    if (remembered.length) postToHost({ type: 'run/compare', runIds: remembered });
    requestSelection(exists(hostSelection) ? hostSelection : exists(current) ? current : (runs[0]?.id ?? null));
  } else if (exists(hostSelection) && hostSelection !== hostSelectedRunId && hostSelection !== current) {
    requestSelection(hostSelection);
  } else if (!exists(current)) {
    requestSelection(runs[0]?.id ?? null);
  }
  if (hostSelection === null || exists(hostSelection)) hostSelectedRunId = hostSelection;
  ui.update({ comparedRunIds: ui.current.comparedRunIds.filter(exists) });
  render();
}

/** Selects a run locally and asks the host for its data. */
function requestSelection(runId: string | null): void {
  ui.update({ selectedRunId: runId });
  shownStatus = null;
  if (runId) postToHost({ type: 'run/select', runId });
}

function selectRun(runId: string): void {
  if (runId === ui.current.selectedRunId) return;
  requestSelection(runId);
  requestError.hidden = true;
  render();
}

function compareRuns(runIds: string[]): void {
  ui.update({ comparedRunIds: runIds });
  postToHost({ type: 'run/compare', runIds });
  render();
}

function stopRun(runId: string): void {
  postToHost({ type: 'train/stop', runId });
}

function continueRun(runId: string): void {
  postToHost({ type: 'train/continue', runId });
}

/** The runs on the loss chart: the selected one first, then the compared ones. */
function shownRunIds(): string[] {
  const selected = ui.current.selectedRunId;
  return [...(selected ? [selected] : []), ...ui.current.comparedRunIds.filter((id) => id !== selected)];
}

function showLoss(): void {
  const status = runs.find((item) => item.id === ui.current.selectedRunId)?.status;
  lossChart.setRuns(
    lossRuns(),
    status === 'running' ? 'Waiting for the first training report…' : status ? 'No loss was recorded for this run.' : 'Select a run to see its loss.',
  );
}

function lossRuns(): LossRun[] {
  return shownRunIds().flatMap((id) => {
    const run = runs.find((item) => item.id === id);
    return run ? [{ id, name: run.name, history: histories.get(id) ?? new LossHistory(), validationScope: trainingValidationScope(run) }] : [];
  });
}

function render(): void {
  const shown = new Set(shownRunIds());
  for (const id of histories.keys()) if (!shown.has(id)) histories.delete(id);
  runsList.render(runs, ui.current.selectedRunId, ui.current.comparedRunIds);
  emptyState.hidden = runs.length > 0;
  showSelectedRun();
}

function showSelectedRun(): void {
  const run = runs.find((item) => item.id === ui.current.selectedRunId);
  details.hidden = !run;
  showLoss();
  if (!run) return;
  // When the selected run's training ends, ask again: the host then sends its final metrics and forecast.
  if (shownStatus === 'running' && run.status !== 'running') postToHost({ type: 'run/select', runId: run.id });
  shownStatus = run.status;
  header.show(run, progressByRun.get(run.id) ?? null);
  metrics.show(run);
  textPanel.element.hidden = run.task !== 'text';
  classifyPanel.element.hidden = run.task !== 'classify';
  forecastView.element.hidden = run.task !== 'series';
  if (run.task === 'text') textPanel.show(run);
  insidePanel.show(run.task === 'text' ? run.id : null);
  if (run.task === 'classify') classifyPanel.show(run);
  if (run.task === 'series') forecastView.show(forecasts.get(run.id) ?? null, forecastPlaceholder(run), run.summary);
  horizonChart.show(run.task === 'series' ? run.summary : null);
}

function forecastPlaceholder(run: RunListItem): string {
  if (run.status === 'running') return 'The forecast is drawn when training ends.';
  if (run.status === 'failed' || run.status === 'corrupt') return 'This run has no forecast.';
  return 'Loading the forecast…';
}
