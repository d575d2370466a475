// Drives the dashboard harness in Chromium: screenshots of the text, series and classify runs per theme, and a streaming check.
/* global window, document -- used inside page.evaluate callbacks, which run in the browser */
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startHarnessServer } from './serve.mjs';

const outDir = process.argv[2] ?? '/tmp/webview-shots';
const themes = (process.env.THEMES ?? 'light,dark').split(',');
mkdirSync(outDir, { recursive: true });

const server = await startHarnessServer({ runsDir: process.env.RUNS_DIR ?? '/tmp/sample-runs' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});

/** Opens the harness in a fresh page; fails on page errors and CSP violations. */
async function open(theme, query = '', height = 1280) {
  const page = await browser.newPage({ viewport: { width: 1360, height } });
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(`${server.url}?theme=${theme}${query}`);
  await page.waitForSelector('#runs-list [data-run-id]');
  return { page, problems };
}

async function selectRun(page, name) {
  await page
    .locator('#runs-list .run-select')
    .filter({ has: page.locator('.run-name', { hasText: new RegExp(`^${name.replace(/[()]/g, '\\$&')}$`) }) })
    .click();
  await page.waitForFunction((n) => document.querySelector('#run-title')?.textContent?.startsWith(n), name);
}

const report = {};
try {
  for (const theme of themes) {
    const { page, problems } = await open(theme);
    await selectRun(page, 'english');
    await page.waitForFunction(() => Number(document.querySelector('#loss-chart')?.dataset.trainPoints) > 0);
    await page.locator('#prompt textarea').fill('The quick brown fox jumps over the');
    await page.waitForSelector('#next-tokens .token-row');
    await page.locator('#generate').click();
    await page.waitForSelector('#generation .continuation');
    await page.screenshot({ path: `${outDir}/text-${theme}.png` });

    await selectRun(page, 'energy');
    await page.waitForFunction(() => Number(document.querySelector('#forecast-chart')?.dataset.points) > 0);
    await page.waitForTimeout(100);
    await page.screenshot({ path: `${outDir}/series-${theme}.png` });
    report[theme] = {
      loss: await page.locator('#loss-chart').evaluate((el) => ({ ...el.dataset })),
      forecast: await page.locator('#forecast-chart').evaluate((el) => ({ ...el.dataset })),
      horizontalOverflow: await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth),
      problems,
    };
    await page.close();
  }

  // A classify run, when the runs folder has one: the confusion matrix, a cell's rows, and the Try it box.
  for (const theme of themes) {
    const { page, problems } = await open(theme, '', 2100);
    const name = await page.evaluate(() => window.harness.fixtures.runs.find((run) => run.item.task === 'classify')?.item.name);
    if (!name) {
      await page.close();
      break;
    }
    await selectRun(page, name);
    await page.waitForSelector('#confusion-matrix');
    await page.locator('#classify-text textarea').fill('The battery died after a week, but support replaced it.');
    await page.waitForSelector('#class-probabilities .class-bar-row');
    await page.locator('#confusion-matrix .confusion-pick').first().click();
    await page.waitForFunction(() => document.querySelector('#misclassified')?.dataset.filter);
    const filtered = await page.locator('#misclassified').evaluate((el) => ({ ...el.dataset }));
    await page.locator('#misclassified-show-all').click();
    await page.locator('#misclassified .error-row').first().click();
    await page.locator('#confusion-matrix').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${outDir}/classify-${theme}.png` });
    report[`classify-${theme}`] = {
      matrix: await page.locator('#confusion-matrix').evaluate((el) => ({ ...el.dataset })),
      filtered,
      listed: await page.locator('#misclassified').evaluate((el) => ({ ...el.dataset })),
      topLabel: await page.locator('#class-probabilities').getAttribute('data-top-label'),
      revealed: await page.evaluate(() => window.harness.posted.filter((m) => m.type === 'row/reveal')),
      horizontalOverflow: await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth),
      problems,
    };
    await page.close();
  }

  // Streaming: 10k reports to the live run, with the loss chart showing it.
  const { page, problems } = await open('dark', '&latency=0');
  await selectRun(page, 'english (live)');
  await page.waitForFunction(() => Number(document.querySelector('#loss-chart')?.dataset.trainPoints) > 0);
  const before = await page.locator('#loss-chart').evaluate((el) => ({ ...el.dataset }));
  const timing = await page.evaluate(() => window.harness.stream(10_000));
  const after = await page.locator('#loss-chart').evaluate((el) => ({ ...el.dataset }));
  const clickStart = Date.now();
  await page.locator('#loss-log-scale').click();
  await page.waitForFunction(() => document.querySelector('#loss-chart')?.dataset.logScale === 'true');
  const toggleMs = Date.now() - clickStart;
  await page.screenshot({ path: `${outDir}/streaming-dark.png` });
  report.streaming = { before, after, timing, toggleMs, problems };

  // Comparison, epoch axis, keyboard selection, an unowned request error, and state restored after a reload.
  {
    const { page, problems } = await open('dark');
    await selectRun(page, 'english');
    await page.locator('[data-run-id="harness-live-english"] .run-compare').click();
    await page.waitForFunction(() => document.querySelector('#loss-chart')?.dataset.comparedRuns === '1');
    await page.locator('#loss-x-axis vscode-radio[value="epoch"]').click();
    await page.waitForFunction(() => document.querySelector('#loss-chart')?.dataset.xAxis === 'epoch');
    await page.screenshot({ path: `${outDir}/compare-dark.png` });
    await page.locator('#runs-list .run-select').first().focus();
    await page.keyboard.press('ArrowDown');
    const keyboardSelected = await page.locator('#runs-list .run-item.selected').getAttribute('data-run-id');
    await page.evaluate(() => window.harness.send({ type: 'request/error', requestId: 9999, message: 'The prediction process stopped.' }));
    const requestError = await page.locator('#request-error').textContent();
    await page.reload();
    await page.waitForSelector('#runs-list [data-run-id]');
    await page.waitForFunction(() => Number(document.querySelector('#loss-chart')?.dataset.trainPoints) > 0);
    const restored = {
      selected: await page.locator('#runs-list .run-item.selected').getAttribute('data-run-id'),
      chart: await page.locator('#loss-chart').evaluate((el) => ({ xAxis: el.dataset.xAxis, comparedRuns: el.dataset.comparedRuns })),
      posted: await page.evaluate(() => window.harness.posted.map((m) => m.type)),
    };
    report.interaction = { keyboardSelected, requestError, restored, problems };
    await page.close();
  }

  // Other states: empty, failed run, high contrast.
  const empty = await browser.newPage({ viewport: { width: 1000, height: 600 } });
  await empty.goto(`${server.url}?theme=light&empty`);
  await empty.waitForSelector('#empty-state:not([hidden])');
  await empty.screenshot({ path: `${outDir}/empty-light.png` });
  const failed = await open('high-contrast');
  await selectRun(failed.page, 'sales');
  await failed.page.screenshot({ path: `${outDir}/failed-high-contrast.png` });
  report.failed = { problems: failed.problems };
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(report, null, 2));
