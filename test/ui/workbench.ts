// Playwright helpers for driving the code-server workbench: the command palette, quick picks, themes and the dashboard webview.
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';

/**
 * Runs a command from the command palette by its title, retrying while the extension host is still registering commands.
 * Enter runs the focused row, so it waits until that row is the command (the list refilters after typing).
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title });
  await eventually(
    `"${title}" in the command palette`,
    async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input.input');
      await input.waitFor();
      await input.fill(`>${title}`);
      await row.waitFor({ timeout: 3000 });
      return true;
    },
    60_000,
  );
  await page.keyboard.press('Enter');
}

/** Answers the open input box whose title contains `title`, waiting for it to replace the previous step. */
export async function answerInput(page: Page, title: string, value: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor();
  await page.locator('.quick-input-widget input.input').fill(value);
  await page.keyboard.press('Enter');
}

/** Chooses an entry of an open context menu (hover, then Enter: the menu ignores clicks while it animates in). */
export async function chooseMenuItem(page: Page, label: string): Promise<void> {
  const item = page.locator('.monaco-menu .action-label', { hasText: label }).first();
  await item.hover();
  await page.waitForTimeout(200);
  await page.keyboard.press('Enter');
}

/**
 * Right-clicks `target` and chooses `label`, reopening the menu while that item is still disabled: context keys such
 * as workspace trust settle a moment after a window reload, and a disabled item ignores Enter.
 */
export async function chooseContextMenuItem(page: Page, target: Locator, label: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await target.click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item', { hasText: label }).first();
    await item.waitFor();
    const disabled = await item.evaluate((node) => node.classList.contains('disabled') || node.querySelector('.disabled') !== null);
    if (!disabled || Date.now() > deadline) break;
    await page.keyboard.press('Escape');
    await page.waitForTimeout(500);
  }
  await chooseMenuItem(page, label);
}

/**
 * Picks an entry of the quick pick whose title contains `title` (or accepts its focused entry), waiting for that
 * pick to replace the previous step first: pressing Enter while the last step is still closing would be lost.
 */
export async function pickQuickItem(page: Page, title: string, label?: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor();
  if (label) await widget.locator('.monaco-list-row', { hasText: label }).first().click();
  else await page.keyboard.press('Enter');
}

/** Opens a workspace file from the explorer and puts the cursor at its end. */
export async function openAtEnd(page: Page, fileName: string): Promise<void> {
  await page.keyboard.press('Escape');
  await runCommand(page, 'View: Show Explorer');
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).first().dblclick();
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.waitFor();
  await editor.click();
  await page.keyboard.press('Control+End');
}

/** The ghost text (inline suggestion) the editor shows now, its lines joined by line breaks; empty when there is none. */
export async function ghostText(page: Page): Promise<string> {
  return (await page.locator('.ghost-text-decoration, .ghost-text').allTextContents()).join('\n');
}

/** Whether the workbench shows a dark theme now. */
async function isDark(page: Page): Promise<boolean> {
  return page.locator('.monaco-workbench').evaluate((element) => element.classList.contains('vs-dark') || element.classList.contains('hc-black'));
}

/** Switches to a light or dark theme ("Preferences: Toggle between Light/Dark Themes") and waits for it to apply. */
export async function setTheme(page: Page, kind: 'light' | 'dark'): Promise<void> {
  if ((await isDark(page)) === (kind === 'dark')) return;
  await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  await eventually(`the ${kind} theme`, async () => ((await isDark(page)) === (kind === 'dark') ? true : undefined), 10_000);
  await page.waitForTimeout(800);
}

/** Screenshots of the window in the light and the dark theme, named `<name>-light.png` and `<name>-dark.png`. */
export async function screenshotsInBothThemes(page: Page, outputDir: string, name: string): Promise<void> {
  for (const kind of ['light', 'dark'] as const) {
    await setTheme(page, kind);
    await page.screenshot({ path: path.join(outputDir, `${name}-${kind}.png`) });
  }
}

/** The dashboard's document, inside the webview's two iframes. */
export function dashboard(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

/** Polls until `check` returns a value, or fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
