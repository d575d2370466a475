// Test-runner extension for the code-server harness: on startup runs the mocha suites in $SEQLAB_E2E_SUITES with the mocha at $SEQLAB_E2E_MOCHA inside the extension host, and writes a JSON report to $SEQLAB_E2E_RESULTS.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface TestResult {
  title: string;
  passed: boolean;
  durationMs: number;
  error?: string;
}

/** Extension-host suites are the compiled files with this suffix (not `.test.js`, which `node --test` picks up). */
const HOST_SUITE_SUFFIX = '.host.js';

export async function activate(): Promise<void> {
  const suitesDir = process.env.SEQLAB_E2E_SUITES;
  const mochaPath = process.env.SEQLAB_E2E_MOCHA;
  const resultsFile = process.env.SEQLAB_E2E_RESULTS;
  if (!suitesDir || !mochaPath || !resultsFile) return;
  // Once per harness session: a UI test that reloads the window restarts the extension host, and with it this extension.
  if (fs.existsSync(resultsFile)) return;
  const results = await runSuites(suitesDir, mochaPath).catch((error: unknown): TestResult[] => [
    { title: `loading suites from ${suitesDir}`, passed: false, durationMs: 0, error: error instanceof Error ? error.stack : String(error) },
  ]);
  fs.writeFileSync(`${resultsFile}.tmp`, JSON.stringify(results, null, 2));
  fs.renameSync(`${resultsFile}.tmp`, resultsFile);
}

/** Runs every suite file under `dir` with the repo's mocha, so repo suites' `import { suite, test } from 'mocha'` binds to the same instance; the tdd globals work anywhere. */
async function runSuites(dir: string, mochaPath: string): Promise<TestResult[]> {
  const mochaModule: { default: typeof import('mocha') } = await import(mochaPath);
  const mocha = new mochaModule.default({ ui: 'tdd', timeout: 30_000, color: false });
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith(HOST_SUITE_SUFFIX));
  for (const file of files.sort()) mocha.addFile(path.join(dir, file));
  await mocha.loadFilesAsync();
  const results: TestResult[] = [];
  await new Promise<void>((resolve) => {
    mocha
      .run(() => resolve())
      .on('pass', (test) => results.push({ title: test.fullTitle(), passed: true, durationMs: test.duration ?? 0 }))
      .on('fail', (test, error: Error) =>
        results.push({ title: test.fullTitle(), passed: false, durationMs: test.duration ?? 0, error: error.stack ?? error.message }),
      );
  });
  return results;
}
