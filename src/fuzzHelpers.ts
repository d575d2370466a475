// Property-based fuzzing of the input surfaces: runs and seed (bounded in npm test, long in npm run fuzz), the property every surface keeps, a watchdog for hangs, and the campaign report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { UsageError } from './shared/options';

/** Inputs per surface: a bounded number in `npm test`, SEQLAB_FUZZ_RUNS in a campaign (`npm run fuzz -- --runs N`). */
export const FUZZ_RUNS = Number(process.env.SEQLAB_FUZZ_RUNS) || 200;
/** The seed of every surface's inputs, so that a failure can be replayed (SEQLAB_FUZZ_SEED). */
export const FUZZ_SEED = Number(process.env.SEQLAB_FUZZ_SEED) || 1;
/** Replays one input (SEQLAB_FUZZ_PATH, as a failure or a hang reports it) and prints it before running it. */
export const FUZZ_PATH: string | undefined = process.env.SEQLAB_FUZZ_PATH || undefined;
/** The longest one input of up to 64 KB may take. */
export const MAX_INPUT_MS = 5000;
/**
 * How long one input may run before it counts as a hang (SEQLAB_FUZZ_HANG_MS): an asynchronous one then fails and is
 * shrunk; a synchronous one blocks the event loop, so the {@link Watchdog} thread reports it (at 1.5 times this) and
 * ends the process.
 */
export const HANG_MS = Number(process.env.SEQLAB_FUZZ_HANG_MS) || 30_000;
/** The most the process's memory ({@link liveMemory}) may grow over a surface's inputs. */
export const MAX_MEMORY_GROWTH_MB = 200;

/**
 * The memory a leak would keep: with `node --expose-gc` (campaigns run so), the JS heap and the memory outside it
 * (array buffers, wasm) after a full collection; otherwise the resident set, which also counts garbage not yet
 * collected and pages the allocator has not returned.
 */
function liveMemory(): { bytes: number; measure: 'live' | 'rss' } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return { bytes: process.memoryUsage().rss, measure: 'rss' };
  gc();
  const { heapUsed, external } = process.memoryUsage();
  return { bytes: heapUsed + external, measure: 'live' };
}

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

/** The watchdog thread: it polls the shared counters and, when one input has run past HANG_MS, reports it and kills the process. */
const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const cells = new Int32Array(workerData.buffer);
let seenTick = -1;
let since = Date.now();
setInterval(() => {
  const tick = Atomics.load(cells, 0);
  if (tick !== seenTick) { seenTick = tick; since = Date.now(); return; }
  if (tick % 2 === 0 || Date.now() - since < 1.5 * workerData.hangMs) return;
  const run = Atomics.load(cells, 1);
  const shrinking = Atomics.load(cells, 2) - 1;
  const path = shrinking >= 0 ? String(shrinking) : String(run);
  const what = shrinking >= 0 ? 'while shrinking the failing input ' + shrinking : 'input ' + run;
  const error = 'hang: ' + what + ' has not returned after ' + Math.round((Date.now() - since) / 1000) + ' s; replay it with SEQLAB_FUZZ_SEED=' + workerData.seed + ' SEQLAB_FUZZ_PATH=' + path;
  fs.writeSync(2, '\\nfuzz: ' + workerData.surface + ': ' + error + '\\n');
  if (workerData.report) fs.appendFileSync(workerData.report, JSON.stringify({ surface: workerData.surface, runs: run + 1, seed: workerData.seed, refused: 0, failed: true, counterexample: 'path ' + path, error, memoryGrowthMB: 0, seconds: 0 }) + '\\n');
  process.kill(process.pid, 'SIGKILL');
}, Math.min(1000, workerData.hangMs / 4));
`;

/**
 * Watches one surface's inputs from another thread. A synchronous hang (a loop that never ends) blocks the event loop,
 * so no timer of the main thread can report it; this thread sees the input counter stop, prints the surface, seed and
 * path that replay the input (SEQLAB_FUZZ_PATH), records it in the report and kills the process.
 */
class Watchdog {
  /** [tick: odd while an input runs, index of the current input, index + 1 of the first failing input (0: none)]. */
  private readonly cells = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  private readonly worker: Worker;
  /** The index of the next input: a replay (SEQLAB_FUZZ_PATH) starts at its run. */
  private inputs = FUZZ_PATH ? Number.parseInt(FUZZ_PATH, 10) : 0;

  constructor(surface: string) {
    this.worker = new Worker(WATCHDOG_SOURCE, {
      eval: true,
      workerData: { buffer: this.cells.buffer, surface, seed: FUZZ_SEED, hangMs: HANG_MS, report: process.env.SEQLAB_FUZZ_REPORT },
    });
    this.worker.unref();
  }

  /** Runs one input under watch: it fails if it has not returned after HANG_MS (asynchronously; the thread sees the rest). */
  async watch(run: () => Promise<void>): Promise<void> {
    Atomics.store(this.cells, 1, this.inputs++);
    Atomics.add(this.cells, 0, 1);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        run(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the input has not returned after ${HANG_MS} ms`)), HANG_MS);
        }),
      ]);
    } catch (error) {
      if (Atomics.load(this.cells, 2) === 0) Atomics.store(this.cells, 2, this.inputs);
      throw error;
    } finally {
      clearTimeout(timer);
      Atomics.add(this.cells, 0, 1);
    }
  }

  /** Ends the thread (not awaited: the thread is unreferenced, so awaiting its exit would let the event loop end first). */
  stop(): void {
    void this.worker.terminate();
  }
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
  /** Growth of {@link liveMemory} over the surface, and which measure it is. */
  memoryGrowthMB: number;
  memory: 'live' | 'rss';
  seconds: number;
}

/**
 * A test that fuzzes one surface: FUZZ_RUNS inputs from `inputs`, each through `action` under {@link worksOrRefuses}
 * and then `check` (more properties of the outcome, e.g. nothing written outside the run store). A failure is shrunk to
 * a minimal input, reported, and fails the test; memory may grow at most MAX_MEMORY_GROWTH_MB.
 */
export function fuzzSurface<T>(
  surface: string,
  inputs: fc.Arbitrary<T>,
  action: (input: T) => unknown,
  check: (input: T, outcome: Outcome) => void | Promise<void> = () => undefined,
): void {
  test(`fuzz: ${surface}`, { timeout: Infinity }, async () => {
    let refused = 0;
    const memoryBefore = liveMemory();
    const started = performance.now();
    const watchdog = new Watchdog(surface);
    const details = await fc
      .check(
        fc.asyncProperty(inputs, (input) =>
          watchdog.watch(async () => {
            if (FUZZ_PATH) process.stderr.write(`fuzz: ${surface}: input ${fc.stringify(input).slice(0, 4000)}\n`);
            const outcome = await worksOrRefuses(() => action(input));
            if (!outcome.ok) refused++;
            await check(input, outcome);
          }),
        ),
        { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: false, ...(FUZZ_PATH ? { path: FUZZ_PATH } : {}) },
      )
      .finally(() => watchdog.stop());
    const memoryGrowthMB = (liveMemory().bytes - memoryBefore.bytes) / 2 ** 20;
    const report: SurfaceReport = {
      surface,
      runs: details.numRuns,
      seed: FUZZ_SEED,
      refused,
      failed: details.failed,
      ...(details.failed ? { counterexample: fc.stringify(details.counterexample), error: String(details.errorInstance) } : {}),
      memoryGrowthMB: Math.round(memoryGrowthMB),
      memory: memoryBefore.measure,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    if (process.env.SEQLAB_FUZZ_REPORT) fs.appendFileSync(process.env.SEQLAB_FUZZ_REPORT, JSON.stringify(report) + '\n');
    if (details.failed) {
      const input = fc.stringify(details.counterexample);
      const shown = input.length > SHOWN_INPUT_CHARS ? `${input.slice(0, SHOWN_INPUT_CHARS)}… (${input.length} characters)` : input;
      assert.fail(`${surface}: ${String(details.errorInstance)}\n  minimised input (seed ${FUZZ_SEED}, path ${details.counterexamplePath}): ${shown}`);
    }
    assert.ok(
      memoryGrowthMB <= MAX_MEMORY_GROWTH_MB,
      `${surface}: memory (${memoryBefore.measure}) grew ${Math.round(memoryGrowthMB)} MB over ${details.numRuns} inputs`,
    );
  });
}

/** The node:fs calls that create, change or remove files, and which of their arguments are the paths they touch. */
const WRITING_CALLS: Record<string, (args: unknown[]) => unknown[]> = {
  writeFileSync: (args) => [args[0]],
  appendFileSync: (args) => [args[0]],
  mkdirSync: (args) => [args[0]],
  mkdtempSync: (args) => [args[0]],
  rmSync: (args) => [args[0]],
  rmdirSync: (args) => [args[0]],
  unlinkSync: (args) => [args[0]],
  truncateSync: (args) => [args[0]],
  chmodSync: (args) => [args[0]],
  renameSync: (args) => [args[0], args[1]],
  copyFileSync: (args) => [args[1]],
  cpSync: (args) => [args[1]],
  symlinkSync: (args) => [args[1]],
  linkSync: (args) => [args[1]],
  // Opened for reading only ('r', 'rs', or numeric O_RDONLY), a file is not written.
  openSync: (args) => (args[1] === undefined || args[1] === 'r' || args[1] === 'rs' || args[1] === fs.constants.O_RDONLY ? [] : [args[0]]),
};

/**
 * Runs `action` while recording in `written` every path that a node:fs call creates, changes or removes (the
 * synchronous calls, which is all the engine uses; file descriptors are not paths and are skipped), resolved. The paths
 * are recorded whether the action returns or throws (and the error is rethrown).
 */
export async function recordWrites(action: () => unknown, written: string[]): Promise<void> {
  // The node:fs module itself: an import of it may be a copy whose properties are read-only getters onto it.
  const module = createRequire(__filename)('node:fs') as Record<string, (...args: unknown[]) => unknown>;
  const originals = Object.fromEntries(Object.keys(WRITING_CALLS).map((name) => [name, module[name]]));
  for (const [name, paths] of Object.entries(WRITING_CALLS)) {
    module[name] = (...args: unknown[]) => {
      for (const target of paths(args)) {
        if (typeof target === 'string') written.push(path.resolve(target));
        else if (target instanceof URL) written.push(fileURLToPath(target));
      }
      return originals[name](...args);
    };
  }
  try {
    await action();
  } finally {
    Object.assign(module, originals);
  }
}

/** The paths of `written` (from {@link recordWrites}) that are neither `folder` nor inside it. */
export function writtenOutside(written: readonly string[], folder: string): string[] {
  return written.filter((target) => target !== folder && !target.startsWith(folder + path.sep));
}
