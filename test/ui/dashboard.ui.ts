// UI checks in code-server: the dashboard charts a text run, training a CSV from the explorer draws the forecast, a TSV its confusion matrix, ghost text and CSV ghost rows appear, a reload restores the dashboard.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { UiContext } from '../e2e/run';
import type { FrameLocator, Page } from 'playwright-core';
import {
  answerInput,
  chooseContextMenuItem,
  dashboard,
  eventually,
  ghostText,
  openAtEnd,
  pickQuickItem,
  runCommand,
  screenshotsInBothThemes,
} from './workbench';

/** After the extension-host suite's "Train on Selection" run: the dashboard's loss chart holds points whose loss decreases. */
export async function dashboardChartsTheSelectionRun({ page, outputDir }: UiContext): Promise<void> {
  await runCommand(page, 'SeqLab: Open Dashboard');
  const view = dashboard(page);
  await view.locator('#runs-list li.run-item[data-status="completed"]', { hasText: 'selection' }).first().locator('.run-select').click();
  const chart = view.locator('#loss-chart');
  const points = await eventually('the loss chart to hold points', async () => {
    const count = Number(await chart.getAttribute('data-train-points'));
    return count > 0 ? count : undefined;
  });
  const first = Number(await chart.getAttribute('data-first-loss'));
  const last = Number(await chart.getAttribute('data-last-loss'));
  assert.ok(points >= 20, `${points} points`);
  assert.ok(last < first, `loss went from ${first} to ${last}`);
  await view.locator('#prompt textarea').fill('The ');
  await eventually('next-token bars', async () => ((await view.locator('#next-tokens .token-row').count()) > 0 ? true : undefined), 30_000);
  await view.locator('#generate').click();
  await eventually(
    'a generated continuation',
    async () => ((await view.locator('#generation .continuation').textContent())?.length ? true : undefined),
    30_000,
  );
  await view.locator('#loss-chart').scrollIntoViewIfNeeded();
  await screenshotsInBothThemes(page, outputDir, 'dashboard-text');
}

/** Right-click a CSV in the explorer → "Train RNN on File" → pick the column: the forecast chart shows every series. */
export async function explorerTrainsACsv({ page, outputDir }: UiContext): Promise<void> {
  await trainFileFromExplorer(page, 'energy.csv');
  await pickQuickItem(page, 'Column to forecast', 'load_mw');
  await pickQuickItem(page, 'Extra input columns'); // none
  await pickQuickItem(page, 'train a model', 'Customize');
  // Every option of the task: the common ones, then the rest under "More…".
  await pickQuickItem(page, 'customize training', 'More…');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Dropout rate between layers' }).waitFor();
  await page.waitForTimeout(400); // the quick pick fades in
  await page.screenshot({ path: path.join(outputDir, 'customize.png') });
  // Each pick edits one option and comes back to the list; rows are found by their option's doc.
  await pickQuickItem(page, 'customize training', 'Recurrent cell:');
  await pickQuickItem(page, 'cell (--cell)', 'gru');
  await pickQuickItem(page, 'customize training', 'Units in each recurrent layer');
  await answerInput(page, 'hidden (--hidden)', '16');
  await pickQuickItem(page, 'customize training', 'past steps the model sees');
  await answerInput(page, 'lookback (--lookback)', '48');
  await pickQuickItem(page, 'customize training', 'Time budget in seconds');
  await answerInput(page, 'maxSeconds (--max-seconds)', '8');
  await pickQuickItem(page, 'customize training', 'Start training');
  const view = await dashboardOfCompletedRun(page, 'energy.csv');
  const chart = view.locator('#forecast-chart');
  await chart.waitFor({ state: 'visible' });
  const series = await eventually(
    'the forecast chart of the new run',
    async () => {
      const drawn = await chart.getAttribute('data-series');
      return drawn?.includes('model') ? drawn : undefined;
    },
    30_000,
  );
  for (const name of ['actual', 'model', 'naive', 'seasonalNaive', 'forecast']) assert.ok(series.split(',').includes(name), `${name} in ${series}`);
  await chart.scrollIntoViewIfNeeded();
  await screenshotsInBothThemes(page, outputDir, 'dashboard-series');
}

/** Right-click a TSV of texts and labels → "Train RNN on File" → classify: the confusion matrix and per-class table are drawn. */
export async function explorerClassifiesATsv({ page, outputDir }: UiContext): Promise<void> {
  await trainFileFromExplorer(page, 'feedback.tsv');
  await pickQuickItem(page, 'What to learn from feedback.tsv', 'Classify rows by topic');
  // The workspace holds the text run of the selection suite, so the classifier may start from it.
  await pickQuickItem(page, 'Start from a text model', 'No, from scratch');
  await pickQuickItem(page, 'train a model', 'Customize');
  await pickQuickItem(page, 'customize training', 'Time budget in seconds');
  await answerInput(page, 'maxSeconds (--max-seconds)', '10');
  await pickQuickItem(page, 'customize training', 'Start training');
  const view = await dashboardOfCompletedRun(page, 'feedback.tsv');
  const matrix = view.locator('#confusion-matrix');
  await matrix.waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal(await matrix.getAttribute('data-classes'), '3');
  assert.equal(await matrix.getAttribute('data-cells'), '9');
  const [correct, total] = [Number(await matrix.getAttribute('data-correct')), Number(await matrix.getAttribute('data-total'))];
  assert.ok(total >= 10 && correct <= total, `${correct} of ${total} test rows right`);
  for (const label of ['praise', 'bug', 'question']) await view.locator('#class-metrics tr', { hasText: label }).first().waitFor();
  for (const label of ['Majority class', 'Naive Bayes']) await view.locator('#metrics-table tr', { hasText: label }).first().waitFor();
  await matrix.scrollIntoViewIfNeeded();
  await screenshotsInBothThemes(page, outputDir, 'dashboard-classify');
}

/** Typing at the end of a text file shows ghost text from the active text model. */
export async function ghostTextFollowsTyping({ page, outputDir }: UiContext): Promise<void> {
  await openAtEnd(page, 'english.txt');
  await page.keyboard.type('\nThe ', { delay: 60 });
  const ghost = await eventually(
    'ghost text',
    async () => {
      const text = await ghostText(page);
      return text.length > 0 ? text : undefined;
    },
    30_000,
  );
  assert.ok(ghost.length > 0);
  await page.screenshot({ path: path.join(outputDir, 'ghost-text.png') });
}

/**
 * At the end of a CSV with a series run (monthly_sales.csv, from the extension-host suite: 6 months ahead), the inline
 * suggestion is the forecast as rows that continue the year and month columns.
 */
export async function csvGhostRowsContinueTheSeries({ page, outputDir }: UiContext): Promise<void> {
  await openAtEnd(page, 'monthly_sales.csv');
  await runCommand(page, 'Trigger Inline Suggestion');
  const ghost = await eventually(
    'ghost CSV rows',
    async () => {
      const text = await ghostText(page);
      return text.includes('2025,') ? text : undefined;
    },
    30_000,
  );
  for (let month = 1; month <= 6; month++) assert.match(ghost, new RegExp(`^2025,${month},\\d+$`, 'm'), `a row for 2025-${month} in ${ghost}`);
  await page.screenshot({ path: path.join(outputDir, 'csv-ghost-rows.png') });
  await page.keyboard.press('Escape');

  // A file as spreadsheets export it: quoted dates, CRLF, no line break after the last row (the cursor ends on it).
  await openAtEnd(page, 'daily_temps.csv');
  await runCommand(page, 'Trigger Inline Suggestion');
  const quoted = await eventually(
    'ghost rows in the quoted file',
    async () => {
      const text = await ghostText(page);
      return text.includes('"1991-') ? text : undefined;
    },
    30_000,
  );
  for (const day of ['1991-02-05', '1991-02-06', '1991-02-11']) assert.match(quoted, new RegExp(`^"${day}",\\d+\\.\\d$`, 'm'), `a row for ${day} in ${quoted}`);
  await page.screenshot({ path: path.join(outputDir, 'csv-ghost-rows-quoted.png') });
  await page.keyboard.press('Escape');
}

/** "Developer: Reload Window" with the dashboard open: the serializer restores it, with the same run selected and charted. */
export async function dashboardSurvivesAReload({ page, outputDir }: UiContext): Promise<void> {
  await page.keyboard.press('Escape');
  await runCommand(page, 'SeqLab: Open Dashboard');
  const runId = await dashboard(page).locator('#runs-list li.run-item.selected').getAttribute('data-run-id', { timeout: 30_000 });
  assert.ok(runId, 'a run is selected before the reload');
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
  const restored = dashboard(page);
  await restored.locator(`#runs-list li.run-item.selected[data-run-id="${runId}"]`).waitFor({ timeout: 60_000 });
  const points = await eventually(
    'the restored loss chart',
    async () => {
      const count = Number(await restored.locator('#loss-chart').getAttribute('data-train-points'));
      return count > 0 ? count : undefined;
    },
    30_000,
  );
  assert.ok(points > 0);
  await page.screenshot({ path: path.join(outputDir, 'dashboard-after-reload.png') });
}

/** Right-clicks a workspace file in the explorer and chooses "Train RNN on File". */
async function trainFileFromExplorer(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Escape');
  await runCommand(page, 'View: Show Explorer');
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).first();
  await chooseContextMenuItem(page, row, 'Train RNN on File');
}

/** The dashboard, once the run of `fileName` it selected has completed. */
async function dashboardOfCompletedRun(page: Page, fileName: string): Promise<FrameLocator> {
  const view = dashboard(page);
  await view.locator('#runs-list li.run-item.selected[data-status="completed"]', { hasText: fileName }).waitFor({ timeout: 180_000 });
  return view;
}
