// UI checks in code-server: "Export Run to PyTorch…" from the palette writes an export folder, "Import Run from PyTorch…" turns it back into a run the dashboard shows with its origin.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { UiContext } from '../e2e/run';
import { dashboard, eventually, runCommand, screenshotsInBothThemes } from './workbench';

/** Accepts code-server's file dialog (a quick input holding a path) on `folder`, or on the folder it opens at when none is given. */
async function chooseFolder(page: Page, title: string, folder?: string): Promise<string> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor();
  const input = widget.locator('input.input');
  if (folder !== undefined) {
    // The dialog completes and rewrites the path while it lists the folder: type it again until it stays.
    const wanted = `${folder.replace(/\/$/, '')}/`;
    await eventually(
      'the dialog to open the folder',
      async () => {
        if ((await input.inputValue()) !== wanted) await input.fill(wanted);
        await page.waitForTimeout(300);
        return (await input.inputValue()) === wanted ? true : undefined;
      },
      20_000,
    );
  }
  const chosen = (await input.inputValue()).replace(/\/$/, '');
  await widget
    .locator('.quick-input-action a, .monaco-button', { hasText: /^(Export Here|Import|OK)$/ })
    .first()
    .click();
  return chosen;
}

/** The text of the newest notification that matches `pattern`. */
async function notification(page: Page, pattern: RegExp, timeoutMs: number): Promise<string> {
  return eventually(
    `a notification matching ${pattern}`,
    async () => (await page.locator('.notification-list-item-message').allTextContents()).find((text) => pattern.test(text)),
    timeoutMs,
  );
}

/** Export a text run from the palette into the workspace, then import the folder: the new run opens with "Imported … as SeqLab exported it". */
export async function exportAndImportARun({ page, outputDir }: UiContext): Promise<void> {
  await runCommand(page, 'SeqLab: Export Run to PyTorch…');
  // The pick names its runs by task: choose a text run.
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'text' }).first().click();
  const workspace = await chooseFolder(page, 'Folder for the PyTorch export');
  const exported = await notification(page, /^Exported to /, 60_000);
  const exportDir = exported.replace(/^Exported to /, '').replace(/\.$/, '');
  assert.ok(exportDir.startsWith(`${workspace}/`), `${exportDir} is inside ${workspace}`);
  await page.keyboard.press('Escape');

  await runCommand(page, 'SeqLab: Import Run from PyTorch…');
  await chooseFolder(page, 'A PyTorch export folder', exportDir);
  const view = dashboard(page);
  const provenance = view.locator('#run-provenance');
  const origin = await eventually(
    'the imported run in the dashboard',
    async () => ((await provenance.isVisible()) ? provenance.textContent() : undefined),
    120_000,
  );
  assert.match(origin ?? '', /^Imported at step [\d,]+ as SeqLab exported it, not trained further in PyTorch \(run .+\)\.$/);
  await view.locator('#runs-list li.run-item.selected', { hasText: '(imported)' }).waitFor();
  // The loss chart continues the exported run's curve and marks the import.
  const marks = await eventually(
    'the import marked on the loss chart',
    async () => (await view.locator('#loss-chart').getAttribute('data-marks')) || undefined,
    30_000,
  );
  assert.match(marks, /^imported@\d+$/);
  await screenshotsInBothThemes(page, outputDir, 'dashboard-imported');
}
