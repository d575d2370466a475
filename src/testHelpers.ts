// Helpers shared by the unit tests: temporary folders removed after use, the built CLI in a child process, relative errors and series CSVs.
import { after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The repository root: the nearest folder above the running bundle (else above the working directory) whose
 * package.json is SeqLab's. The tests are bundled one by one, so `__dirname` is the test's own folder under out/, at
 * whatever depth; failing both, the folder three levels above it (a test in out/src/<folder>/).
 */
export const REPO_ROOT: string = findRepoRoot() ?? path.resolve(__dirname, '../../..');

function findRepoRoot(): string | undefined {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      try {
        if (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name === 'seqlab') return dir;
      } catch {
        // No package.json here, or not valid JSON: look further up.
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  return undefined;
}

/** The built CLI bundle that the CLI tests run (`npm run build` makes it). */
export const CLI: string = path.join(REPO_ROOT, 'dist/cli.js');

/** What a CLI run printed and how it ended. */
export interface CliResult {
  /** The exit code; null when the process was killed (see `signal`). */
  status: number | null;
  /** The signal that ended the process (e.g. SIGTERM on a timeout), or null. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** How {@link runCli} starts the CLI. */
export interface CliOptions {
  /** Written to the CLI's stdin. */
  input?: string;
  /** The environment of the child process (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Node options before the CLI's path, e.g. `['--require', preload]`. */
  nodeArgs?: string[];
  /** Milliseconds before the child process is killed (default 120 000). */
  timeout?: number;
}

/** Runs the seqlab CLI (`node dist/cli.js ...args`) in a child process, waits for it to end and returns its output and exit code. */
export function runCli(args: string[], options: CliOptions = {}): CliResult {
  const result = spawnSync(process.execPath, [...(options.nodeArgs ?? []), CLI, ...args], {
    encoding: 'utf8',
    input: options.input,
    env: options.env,
    timeout: options.timeout ?? 120_000,
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Makes a fresh folder under the OS temporary folder, named `prefix` plus random characters, and removes it with
 * everything in it once the tests that use it are done: after test `t` when given its context, otherwise after every
 * test of the file (or of the `describe` suite this is called in).
 */
export function tempDir(prefix: string, t?: Pick<TestContext, 'after'>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  if (t) t.after(remove);
  else after(remove);
  return dir;
}

/** Something holding numbers: an array, a typed array, a list of them (read as one run of numbers), or a tensor. */
export type Values = ArrayLike<number> | readonly ArrayLike<number>[] | { readonly shape: number[]; dataSync(): ArrayLike<number> };

function flatten(values: Values): ArrayLike<number> {
  if ('dataSync' in values) return values.dataSync();
  if (Array.isArray(values) && values.length > 0 && typeof values[0] !== 'number') return (values as ArrayLike<number>[]).flatMap((part) => Array.from(part));
  return values as ArrayLike<number>;
}

/**
 * max|actual − expected| / max|expected| over all the values (the denominator at least 1e-12): the relative error
 * of a whole tensor or array, or of a list of arrays (e.g. gradients) taken together. Tensors must have the same
 * shape, and there must be as many actual values as expected ones; `what` names them in those failures.
 */
export function relativeError(actual: Values, expected: Values, what?: string): number {
  if ('dataSync' in actual && 'dataSync' in expected) assert.deepEqual(actual.shape, expected.shape, what);
  const a = flatten(actual);
  const e = flatten(expected);
  assert.equal(a.length, e.length, `${what ?? 'values'}: as many actual values as expected ones`);
  let worst = 0;
  let scale = 1e-12;
  for (let k = 0; k < e.length; k++) {
    worst = Math.max(worst, Math.abs(a[k] - e[k]));
    scale = Math.max(scale, Math.abs(e[k]));
  }
  return worst / scale;
}

/** Asserts that the {@link relativeError} of `actual` against `expected` is below `tolerance`, naming them `what`. */
export function assertRelativelyClose(actual: Values, expected: Values, what: string, tolerance = 1e-5): void {
  const error = relativeError(actual, expected, what);
  assert.ok(error < tolerance, `${what}: relative error ${error}`);
}

/** How {@link seriesCsv} writes the time column. */
export interface SeriesCsvOptions {
  /**
   * The first column: a `date` written as `2024-01-01T05:00` ('iso-hour', the default), `2024-01-01 05:00`
   * ('date-time') or `2024-01-01` ('date'); or `t`, the row number ('index').
   */
  time?: 'iso-hour' | 'date-time' | 'date' | 'index';
  /** The time of the first row, in ms since the epoch (default 2024-01-01 00:00 UTC). */
  start?: number;
  /** The time between rows in ms (default one hour, one day for 'date'). */
  stepMs?: number;
  /** Decimals of the values (default 3). */
  digits?: number;
}

/**
 * A CSV of one series, `date,value` (or `t,value`), with a header and `rows` rows; `value(t, time)` gives the value
 * of row t (0-based) at its time, e.g. `(t) => 10 + 3 * Math.sin((2 * Math.PI * t) / 24)` for a daily cycle in hours.
 * It is called once per row, in order, so it may draw from a random generator.
 */
export function seriesCsv(rows: number, value: (t: number, time: Date) => number, options: SeriesCsvOptions = {}): string {
  const format = options.time ?? 'iso-hour';
  const start = options.start ?? Date.UTC(2024, 0, 1);
  const step = options.stepMs ?? (format === 'date' ? 86_400_000 : 3_600_000);
  const lines = [format === 'index' ? 't,value' : 'date,value'];
  for (let t = 0; t < rows; t++) {
    const time = new Date(start + t * step);
    const iso = time.toISOString();
    const stamp =
      format === 'index'
        ? String(t)
        : format === 'date'
          ? iso.slice(0, 10)
          : format === 'date-time'
            ? iso.slice(0, 16).replace('T', ' ')
            : `${iso.slice(0, 13)}:00`;
    lines.push(`${stamp},${value(t, time).toFixed(options.digits ?? 3)}`);
  }
  return lines.join('\n');
}

/** Writes {@link seriesCsv}`(rows, value, options)` to `dir/name` (e.g. in a {@link tempDir}) and returns the file's path. */
export function writeSeriesCsv(dir: string, name: string, rows: number, value: (t: number, time: Date) => number, options: SeriesCsvOptions = {}): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, seriesCsv(rows, value, options));
  return file;
}
