// E2E entry: runs extension-host suites (via the test-runner extension) and Playwright UI suites against extensions in code-server; prints 'N passed, N failed'.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import type { TestResult } from '../vscode-runner/extension';
import { ROOT, startCodeServer } from './codeServer';

/** What each test function of a UI suite receives. */
export interface UiContext {
  page: Page;
  /** Where screenshots and other artifacts go. */
  outputDir: string;
}

/** UI suites are compiled modules with this suffix; each exported function is a test taking a UiContext. */
const UI_SUITE_SUFFIX = '.ui.js';
const HOST_TIMEOUT_MS = 5 * 60_000;

/** The compiled test-runner extension (out/test/vscode-runner), made installable by writing its manifest next to it. */
function runnerExtension(): string {
  const dir = path.join(__dirname, '../vscode-runner');
  const manifest = {
    name: 'e2e-runner',
    publisher: 'seqlab',
    version: '0.0.1',
    engines: { vscode: '^1.95.0' },
    main: './extension.js',
    activationEvents: ['onStartupFinished'],
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      extension: { type: 'string', multiple: true, default: [ROOT] },
      workspace: { type: 'string', default: path.join(ROOT, 'samples') },
      'host-suites': { type: 'string', default: path.join(ROOT, 'out/test/host') },
      'ui-suites': { type: 'string', default: path.join(ROOT, 'out/test/ui') },
      output: { type: 'string', default: path.join(ROOT, 'test-output/e2e') },
    },
  });
  const output = path.resolve(values.output);
  const hostSuites = path.resolve(values['host-suites']);
  const hostResults = path.join(output, 'host-results.json');
  fs.rmSync(output, { recursive: true, force: true });
  fs.mkdirSync(output, { recursive: true });
  fs.rmSync(hostResults, { force: true });
  const runHost = fs.existsSync(hostSuites);
  if (!runHost) console.log(`e2e: no extension-host suites in ${hostSuites}`);

  const started = Date.now();
  const session = await startCodeServer({
    extensions: [...values.extension, runnerExtension()],
    workspace: values.workspace,
    env: runHost ? { SEQLAB_E2E_SUITES: hostSuites, SEQLAB_E2E_MOCHA: require.resolve('mocha'), SEQLAB_E2E_RESULTS: hostResults } : {},
  });
  console.log(`e2e: workbench at ${session.url} up in ${seconds(started)} (logs in ${session.dir})`);
  const results: TestResult[] = [];
  try {
    if (runHost) results.push(...(await Promise.race([waitForResults(hostResults), session.exited.then(() => [])])));
    console.log(`e2e: extension-host suites done at ${seconds(started)}`);
    results.push(...(await runUiSuites(path.resolve(values['ui-suites']), { page: session.page, outputDir: output })));
  } finally {
    await session.close();
  }

  for (const result of results) {
    console.log(`${result.passed ? 'ok  ' : 'FAIL'} ${result.title} (${result.durationMs} ms)`);
    if (result.error) console.log(result.error.replace(/^/gm, '      '));
  }
  fs.writeFileSync(path.join(output, 'results.json'), JSON.stringify(results, null, 2));
  const failed = results.filter((result) => !result.passed).length;
  if (failed === 0) fs.rmSync(session.dir, { recursive: true, force: true });
  console.log(`e2e: finished in ${seconds(started)}${results.length === 0 ? '; no tests ran' : ''}`);
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || results.length === 0 ? 1 : 0;
}

async function waitForResults(file: string): Promise<TestResult[]> {
  for (const deadline = Date.now() + HOST_TIMEOUT_MS; Date.now() < deadline; await sleep(250)) {
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as TestResult[];
  }
  throw new Error(`no extension-host results in ${file} after ${HOST_TIMEOUT_MS / 1000} s`);
}

/** Runs each exported function of each UI suite under `dir`, in file and export order. */
async function runUiSuites(dir: string, context: UiContext): Promise<TestResult[]> {
  if (!fs.existsSync(dir)) return [];
  const results: TestResult[] = [];
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith(UI_SUITE_SUFFIX));
  for (const file of files.sort()) {
    const suite: Record<string, unknown> = await import(path.join(dir, file));
    for (const [name, test] of Object.entries(suite)) {
      if (typeof test !== 'function') continue;
      const started = Date.now();
      const title = `${file.slice(0, -UI_SUITE_SUFFIX.length)} ${name}`;
      try {
        await test(context);
        results.push({ title, passed: true, durationMs: Date.now() - started });
      } catch (error) {
        results.push({ title, passed: false, durationMs: Date.now() - started, error: error instanceof Error ? error.stack : String(error) });
        await context.page.screenshot({ path: path.join(context.outputDir, `FAILED-${title.replace(/[^\w-]+/g, '_')}.png`) }).catch(() => undefined);
      }
    }
  }
  return results;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
