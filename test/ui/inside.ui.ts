// UI checks in code-server of the inside view on english.txt: activations and surprisal colour the characters in view (light and dark screenshots), the hover, the unit switcher, Find Units from the context menu and in the dashboard, and the toggle.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { UiContext } from '../e2e/run';
import { chooseContextMenuItem, dashboard, eventually, runCommand, setTheme } from './workbench';

/** The backgrounds the inside view paints, light and dark (see src/extension/inspect/colorScale.ts). */
const ACTIVATION_RGB = ['230, 97, 1', '33, 102, 172', '255, 150, 60', '90, 160, 255'];
const SURPRISAL_RGB = ['214, 39, 40', '255, 85, 85'];

/** The editor's overlays painted in one of `rgb`'s colours: how many, and which colours. */
async function painted(page: Page, rgb: readonly string[]): Promise<{ count: number; colors: string[] }> {
  return page
    .locator('.editor-instance .monaco-editor .view-overlays')
    .first()
    .evaluate((overlays, wanted) => {
      const colors = new Set<string>();
      let count = 0;
      // The test's TypeScript has no DOM library: the page's window, as much of it as is used.
      const view = overlays.ownerDocument.defaultView as unknown as { getComputedStyle(element: unknown): { backgroundColor: string } };
      for (const element of Array.from(overlays.querySelectorAll('div') as ArrayLike<unknown>)) {
        const color = view.getComputedStyle(element).backgroundColor;
        if (wanted.some((w) => color.startsWith(`rgba(${w},`))) {
          count++;
          colors.add(color);
        }
      }
      return { count, colors: [...colors] };
    }, rgb);
}

/** Waits until at least `min` characters' overlays are painted in `rgb`'s colours. */
async function waitForPaint(page: Page, rgb: readonly string[], what: string, min = 20): Promise<{ count: number; colors: string[] }> {
  return eventually(
    what,
    async () => {
      const found = await painted(page, rgb);
      return found.count >= min ? found : undefined;
    },
    60_000,
  );
}

/** The inside view's status bar item's text. */
async function insideStatus(page: Page): Promise<string> {
  return (
    (await page
      .locator('.statusbar-item', { hasText: /unit \d+|bits\/char/ })
      .first()
      .textContent({ timeout: 30_000 })) ?? ''
  );
}

/** Opens english.txt from the explorer with the cursor at its start. */
async function openEnglishAtTop(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await runCommand(page, 'View: Show Explorer');
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'english.txt' }).first().dblclick();
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.waitFor();
  await editor.click();
  await page.keyboard.press('Control+Home');
}

async function screenshotsInBothThemes(page: Page, outputDir: string, name: string, rgb: readonly string[]): Promise<void> {
  for (const kind of ['light', 'dark'] as const) {
    await setTheme(page, kind);
    const { colors } = await waitForPaint(page, rgb, `the colours in the ${kind} theme`);
    // Each theme gets its own hues: the lighter ones on dark backgrounds.
    const dark = colors.some((c) => /^rgba\((255, 150, 60|90, 160, 255|255, 85, 85),/.test(c));
    assert.equal(dark, kind === 'dark', `${kind} theme colours: ${colors.join(' ')}`);
    await page.screenshot({ path: path.join(outputDir, `${name}-${kind}.png`) });
  }
}

/** "Show Activations" on english.txt colours its characters; the hover lists the units most active there; the switcher changes the unit. */
export async function activationsColourEnglish({ page, outputDir }: UiContext): Promise<void> {
  await openEnglishAtTop(page);
  await runCommand(page, 'SeqLab: Show Activations');
  await waitForPaint(page, ACTIVATION_RGB, 'activation colours');
  const status = await insideStatus(page);
  assert.match(status, /unit \d+ · (LSTM|GRU|RNN) h/);
  await screenshotsInBothThemes(page, outputDir, 'inside-activations', ACTIVATION_RGB);

  // The hover over a word of the third line.
  const line = page.locator('.editor-instance .view-line').nth(2);
  await line.hover({ position: { x: 60, y: 8 } });
  const hover = page.locator('.monaco-hover', { hasText: 'Most active here' });
  await hover.waitFor({ timeout: 15_000 });
  await page.screenshot({ path: path.join(outputDir, 'inside-hover.png') });
  await page.keyboard.press('Escape');

  // The status bar item opens the switcher; the second unit listed colours the text instead.
  await page
    .locator('.statusbar-item', { hasText: /unit \d+/ })
    .first()
    .click();
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'SeqLab: unit' }).waitFor();
  const rows = page.locator('.quick-input-widget .monaco-list-row', { hasText: /^.*Unit \d+/ });
  const second = (await rows.nth(1).textContent()) ?? '';
  const unit = /Unit (\d+)/.exec(second)?.[1];
  await rows.nth(1).click();
  await eventually(`unit ${unit} in the status bar`, async () => ((await insideStatus(page)).includes(`unit ${unit} `) ? true : undefined), 30_000);
}

/** "Show Surprisal" colours by bits and puts the total in the status bar. */
export async function surprisalColoursEnglish({ page, outputDir }: UiContext): Promise<void> {
  await openEnglishAtTop(page);
  await runCommand(page, 'SeqLab: Show Surprisal');
  await waitForPaint(page, SURPRISAL_RGB, 'surprisal colours');
  assert.equal((await painted(page, ACTIVATION_RGB)).count, 0, 'the activation colours are gone');
  assert.match(await insideStatus(page), /[\d,]+ bits · \d+\.\d\d bits\/char/);
  await screenshotsInBothThemes(page, outputDir, 'inside-surprisal', SURPRISAL_RGB);
}

/** Select a line, right-click → "Find Units for Selection", choose the first unit: the text is coloured by it; the toggle clears everything. */
export async function findUnitsFromTheContextMenu({ page, outputDir }: UiContext): Promise<void> {
  await openEnglishAtTop(page);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+End');
  const editor = page.locator('.editor-instance .monaco-editor .view-lines').filter({ visible: true }).first().locator('.view-line').nth(2);
  await chooseContextMenuItem(page, editor, 'Find Units for Selection');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'units of layer' }).waitFor({ timeout: 30_000 });
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Unit' }).first().waitFor();
  await page.waitForTimeout(400); // the quick pick fades in
  await page.screenshot({ path: path.join(outputDir, 'inside-units-pick.png') });
  const first = (await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Unit' }).first().textContent()) ?? '';
  const unit = /Unit (\d+)/.exec(first)?.[1];
  await page.keyboard.press('Enter');
  await eventually(`unit ${unit} in the status bar`, async () => ((await insideStatus(page)).includes(`unit ${unit} `) ? true : undefined), 30_000);
  await waitForPaint(page, ACTIVATION_RGB, 'the colours of the unit found');
  await page.screenshot({ path: path.join(outputDir, 'inside-units.png') });

  await runCommand(page, 'SeqLab: Toggle Activation and Surprisal Colours');
  await eventually('the colours to clear', async () => ((await painted(page, [...ACTIVATION_RGB, ...SURPRISAL_RGB])).count === 0 ? true : undefined), 15_000);
  assert.equal(await page.locator('.statusbar-item', { hasText: /unit \d+|bits\/char/ }).count(), 0, 'the status bar item is hidden');
}

/** Opens the command palette on the focused editor and runs a command, keeping the editor's selection (runCommand's Escape would drop it). */
async function runCommandKeepingSelection(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** "Find Units for Selection", then the dashboard beside the editor: its "Inside the model" card lists the units with a heatmap; a click there colours the editor. */
export async function dashboardListsTheUnitsFound({ page, outputDir }: UiContext): Promise<void> {
  // One editor group: earlier suites leave several (and english.txt edited, so they are joined rather than closed).
  await runCommand(page, 'View: Single Column Editor Layout');
  await openEnglishAtTop(page);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+End');
  await page
    .locator('.statusbar-item', { hasText: /selected/ })
    .first()
    .waitFor({ timeout: 10_000 });
  await runCommandKeepingSelection(page, 'SeqLab: Find Units for Selection');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'units of layer' }).waitFor({ timeout: 30_000 });
  await page.keyboard.press('Escape');
  // The dashboard opened after the search lists it; side by side with the editor, whichever of the two moves.
  await runCommand(page, 'SeqLab: Open Dashboard');
  await runCommand(page, 'View: Move Editor into Right Group');
  const view = dashboard(page);
  await view.locator('#runs-list').waitFor({ timeout: 30_000 });
  const card = view.locator('#inside-panel:not([hidden])');
  await card.waitFor({ timeout: 30_000 });
  assert.equal(await view.locator('#inside-units tbody tr').count(), 10);
  const heatmap = view.locator('#inside-heatmap');
  await heatmap.waitFor({ timeout: 30_000 });
  assert.equal(await heatmap.getAttribute('data-units'), '10');
  assert.ok(Number(await heatmap.getAttribute('data-tokens')) > 20, 'a column for each token of the selected line');
  await card.scrollIntoViewIfNeeded();
  for (const kind of ['light', 'dark'] as const) {
    await setTheme(page, kind);
    await page.screenshot({ path: path.join(outputDir, `inside-dashboard-${kind}.png`) });
  }
  // The second unit of the ranking colours the editor.
  const pick = view.locator('#inside-units tbody tr').nth(1).locator('.unit-pick');
  const unit = await pick.getAttribute('data-unit');
  await pick.click();
  await eventually(`unit ${unit} in the status bar`, async () => ((await insideStatus(page)).includes(`unit ${unit} `) ? true : undefined), 30_000);
  await waitForPaint(page, ACTIVATION_RGB, 'the colours of the unit clicked');
  await page.screenshot({ path: path.join(outputDir, 'inside-dashboard-unit.png') });
  // One group again, for the next tests.
  await runCommand(page, 'View: Single Column Editor Layout');
}
