// Property-based fuzzing of the input surfaces: runs and seed (bounded in npm test, long in npm run fuzz), the property every surface keeps, and the campaign report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { UsageError } from './shared/options';

/** Inputs per surface: a bounded number in `npm test`, SEQLAB_FUZZ_RUNS in a campaign (`npm run fuzz -- --runs N`). */
export const FUZZ_RUNS = Number(process.env.SEQLAB_FUZZ_RUNS) || 200;
/** The seed of every surface's inputs, so that a failure can be replayed (SEQLAB_FUZZ_SEED). */
export const FUZZ_SEED = Number(process.env.SEQLAB_FUZZ_SEED) || 1;
/** The longest one input of up to 64 KB may take. */
export const MAX_INPUT_MS = 5000;
/** The most the process's resident memory may grow over a surface's inputs. */
export const MAX_RSS_GROWTH_MB = 200;

/** The most characters of a failing input a test message shows (the report keeps it whole). */
const SHOWN_INPUT_CHARS = 600;

/** How an input ended: it worked, or it was refused with this one-line message. */
export type Outcome = { ok: true } | { ok: false; message: string };

/**
 * Runs `action` on one input and checks the property every surface keeps: it returns, or throws a UsageError whose
 * message is one line; any other exception, a message over several lines or an input slower than MAX_INPUT_MS fails.
 */
export async function worksOrRefuses(action: () => unknown): Promise<Outcome> {
  const started = performance.now();
  let outcome: Outcome;
  try {
    await action();
    outcome = { ok: true };
  } catch (error) {
    if (!(error instanceof UsageError)) throw new Error(`not a UsageError: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    assert.ok(error.message.trim() !== '' && !error.message.includes('\n'), `the message is not one line: ${JSON.stringify(error.message)}`);
    outcome = { ok: false, message: error.message };
  }
  const ms = performance.now() - started;
  assert.ok(ms <= MAX_INPUT_MS, `the input took ${Math.round(ms)} ms (at most ${MAX_INPUT_MS})`);
  return outcome;
}

/** What a campaign records of one surface (a JSON line in SEQLAB_FUZZ_REPORT). */
export interface SurfaceReport {
  surface: string;
  runs: number;
  seed: number;
  refused: number;
  failed: boolean;
  /** The minimised failing input and its error, when it failed. */
  counterexample?: string;
  error?: string;
  rssGrowthMB: number;
  seconds: number;
}

/**
 * A test that fuzzes one surface: FUZZ_RUNS inputs from `inputs`, each through `action` under {@link worksOrRefuses}
 * and then `check` (more properties of the outcome, e.g. nothing written outside the run store). A failure is shrunk to
 * a minimal input, reported, and fails the test; resident memory may grow at most MAX_RSS_GROWTH_MB.
 */
export function fuzzSurface<T>(
  surface: string,
  inputs: fc.Arbitrary<T>,
  action: (input: T) => unknown,
  check: (input: T, outcome: Outcome) => void | Promise<void> = () => undefined,
): void {
  test(`fuzz: ${surface}`, { timeout: 0 }, async () => {
    let refused = 0;
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const details = await fc.check(
      fc.asyncProperty(inputs, async (input) => {
        const outcome = await worksOrRefuses(() => action(input));
        if (!outcome.ok) refused++;
        await check(input, outcome);
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: false },
    );
    const rssGrowthMB = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    const report: SurfaceReport = {
      surface,
      runs: details.numRuns,
      seed: FUZZ_SEED,
      refused,
      failed: details.failed,
      ...(details.failed ? { counterexample: fc.stringify(details.counterexample), error: String(details.errorInstance) } : {}),
      rssGrowthMB: Math.round(rssGrowthMB),
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    if (process.env.SEQLAB_FUZZ_REPORT) fs.appendFileSync(process.env.SEQLAB_FUZZ_REPORT, JSON.stringify(report) + '\n');
    if (details.failed) {
      const input = fc.stringify(details.counterexample);
      const shown = input.length > SHOWN_INPUT_CHARS ? `${input.slice(0, SHOWN_INPUT_CHARS)}… (${input.length} characters)` : input;
      assert.fail(`${surface}: ${String(details.errorInstance)}\n  minimised input (seed ${FUZZ_SEED}, path ${details.counterexamplePath}): ${shown}`);
    }
    assert.ok(rssGrowthMB <= MAX_RSS_GROWTH_MB, `${surface}: resident memory grew ${Math.round(rssGrowthMB)} MB over ${details.numRuns} inputs`);
  });
}
