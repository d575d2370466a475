// Fault injection on engine processes: SIGKILL mid-training, a full disk or read-only runs folder, several runs at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir, writeSeriesCsv } from '../testHelpers';
import { train } from './train';
import { forecastNext, loadRun, predictNext } from './predict';
import { listRuns, loadRunRecord, markRunFailed, readMetrics } from './runStore';
import { sha256 } from './source';
import { Rng } from './rng';
import type { EngineToHost, HostToEngine } from '../shared/protocol';
import { METRICS_FILE } from '../shared/runFolder';
import { UsageError, type TrainArgs } from '../shared/options';

const ENGINE = path.resolve(__dirname, '../../../dist/engine.js');
const root = tempDir('seqlab-faults-');

type TrainStart = Extract<HostToEngine, { type: 'train/start' }>['request'];

/** A training engine process forked the way the extension host does it. */
interface EngineProcess {
  /** Resolves with the run folder once the engine has created it. */
  created: Promise<string>;
  /** Resolves on the first progress report. */
  firstProgress: Promise<void>;
  /** Resolves when the process has exited, with every message it sent. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; messages: EngineToHost[] }>;
  kill(): void;
  onProgress(listener: (count: number) => void): void;
}

/** Forks dist/engine.js with an IPC channel and asks it to train `request` once it is ready. */
function startEngine(request: TrainStart, options: { execArgv?: string[]; env?: NodeJS.ProcessEnv } = {}): EngineProcess {
  const child = fork(ENGINE, [], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    execArgv: options.execArgv ?? [],
    env: options.env ?? process.env,
    serialization: 'advanced',
  });
  child.stderr?.resume();
  const messages: EngineToHost[] = [];
  const progressListeners: ((count: number) => void)[] = [];
  let progressCount = 0;
  let createdResolve: (dir: string) => void = () => undefined;
  let progressResolve: () => void = () => undefined;
  const created = new Promise<string>((resolve) => (createdResolve = resolve));
  const firstProgress = new Promise<void>((resolve) => (progressResolve = resolve));
  child.on('message', (raw) => {
    const message = raw as EngineToHost;
    messages.push(message);
    if (message.type === 'engine/ready') child.send({ type: 'train/start', request } satisfies HostToEngine);
    else if (message.type === 'train/created') createdResolve(message.runDir);
    else if (message.type === 'train/progress') {
      progressCount++;
      progressResolve();
      for (const listener of progressListeners) listener(progressCount);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; messages: EngineToHost[] }>((resolve) =>
    child.on('exit', (code, signal) => {
      // An engine that ends before these events leaves the tests waiting on them no longer.
      createdResolve('');
      progressResolve();
      resolve({ code, signal, messages });
    }),
  );
  return { created, firstProgress, exited, kill: () => child.kill('SIGKILL'), onProgress: (listener) => progressListeners.push(listener) };
}

/** Text over its own alphabet, so that a model trained on it predicts only those letters. */
function textOver(alphabet: string, length: number, seed: number): string {
  const rng = new Rng(seed);
  let text = '';
  while (text.length < length) text += alphabet.slice(0, 2 + rng.int(alphabet.length - 1)) + ' ';
  return text;
}

/** Checks that every complete line of metrics.jsonl parses and that readMetrics returns them all; returns them. */
function checkMetrics(runDir: string) {
  const raw = fs.readFileSync(path.join(runDir, METRICS_FILE), 'utf8');
  const complete = raw
    .slice(0, raw.lastIndexOf('\n') + 1)
    .split('\n')
    .filter(Boolean);
  for (const line of complete) JSON.parse(line);
  const lines = readMetrics(runDir);
  assert.equal(lines.length, complete.length, 'readMetrics returns every complete line');
  return lines;
}

/** Loads a run's best model and makes one prediction (next tokens for text, a forecast for series). */
async function predictWith(runDir: string, prompt = 'ab'): Promise<string[]> {
  const run = await loadRun(runDir);
  try {
    if (run.record.task === 'series') {
      const { forecast } = await forecastNext(run, undefined);
      assert.ok(forecast.length > 0 && forecast.every(Number.isFinite), 'a finite forecast');
      return [];
    }
    const { topK } = predictNext(run, prompt, 3);
    assert.ok(topK.length > 0 && topK.every((t) => Number.isFinite(t.prob)), 'finite next-token probabilities');
    return topK.map((t) => t.token);
  } finally {
    run.model.dispose();
  }
}

const SMALL: Partial<TrainArgs> = { backend: 'wasm', hidden: 16, seqLen: 16, evalEvery: 5, patience: 0, epochs: 1000 };

test(
  'SIGKILL at a random point in training, 20 times: the run reads as failed, its metrics parse, its best checkpoint loads, the next run starts',
  { timeout: 300_000 },
  async (t) => {
    const runsDir = path.join(root, 'killed');
    // A seasonal series with a date column: hourly, with a daily cycle.
    const csv = writeSeriesCsv(root, 'series.csv', 800, (hour) => 10 + 3 * Math.sin((2 * Math.PI * hour) / 24));
    const rng = new Rng(20251125);
    const cells = ['rnn', 'lstm', 'gru'] as const;
    const failures: string[] = [];
    const killedDirs: string[] = [];
    for (let round = 0; round < 20; round++) {
      const series = round % 4 === 3;
      const args = { ...SMALL, cell: cells[round % 3], ...(series ? { lookback: 24, horizon: 6, season: 24 } : {}) };
      const engine = startEngine(series ? { file: csv, args, runsDir } : { text: textOver('abcdefgh', 3000, round), args, runsDir });
      const delay = rng.next() * 2500;
      await engine.firstProgress;
      setTimeout(() => engine.kill(), delay);
      const { signal } = await engine.exited;
      const runDir = await engine.created;
      try {
        assert.equal(signal, 'SIGKILL', 'killed while training');
        killedDirs.push(runDir);
        const listed = listRuns(runsDir).find((r) => r.dir === runDir);
        assert.ok(listed?.ok && listed.record.status === 'failed', `listed as failed: ${JSON.stringify(listed?.ok ? listed.record.status : listed)}`);
        markRunFailed(runDir, 'The training process ended unexpectedly (SIGKILL).');
        const record = loadRunRecord(runDir);
        assert.deepEqual([record.status, record.message, record.pid], ['failed', 'The training process ended unexpectedly (SIGKILL).', undefined]);
        const lines = checkMetrics(runDir);
        assert.ok(
          lines.some((l) => l.kind === 'val'),
          'at least the first evaluation is kept',
        );
        await predictWith(runDir);
        assert.deepEqual(
          fs.readdirSync(runDir).filter((f) => f.endsWith('.tmp')),
          [],
          'no temporary file is left after the run is marked failed',
        );
      } catch (error) {
        failures.push(
          `round ${round} (${series ? 'series' : 'text'}, ${args.cell}, kill ${delay.toFixed(0)} ms after the first progress): ${(error as Error).message}`,
        );
      }
    }
    t.diagnostic(`kills survived with nothing lost: ${20 - failures.length}/20`);
    assert.deepEqual(failures, []);

    // The next run in the same folder starts and completes normally, and a killed run resumes from its last checkpoint.
    const next = startEngine({ text: textOver('abcdefgh', 1500, 99), args: { ...SMALL, epochs: 1 }, runsDir });
    const end = await next.exited;
    const finished = end.messages.find((m) => m.type === 'train/finished');
    assert.equal(finished?.type === 'train/finished' && finished.record.status, 'completed');
    const killedText = killedDirs.find((dir) => loadRunRecord(dir).task === 'text') as string;
    const { step: stepBefore, epoch } = loadRunRecord(killedText).progress;
    const resumed = await train({ resume: killedText, args: { epochs: Math.floor(epoch) + 2 } });
    assert.equal(resumed.record.status, 'completed', resumed.record.message);
    assert.ok(resumed.record.progress.step > stepBefore);
    assert.match(
      checkMetrics(killedText)
        .map((l) => (l.kind === 'event' ? l.message : ''))
        .join('|'),
      /Resumed at step/,
    );
  },
);

test('4 engine processes in parallel finish with correct, separate run folders', { timeout: 300_000 }, async () => {
  const runsDir = path.join(root, 'parallel');
  const alphabets = ['abcd', 'efgh', 'ijkl', 'mnop'];
  // Every data file has the same name, so that the runs' ids share their label and only the random part tells them apart.
  const files = alphabets.map((alphabet, i) => {
    const file = path.join(root, `data-${i}`, 'data.txt');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, textOver(alphabet, 2000, i));
    return file;
  });
  const ends = await Promise.all(files.map((file) => startEngine({ file, args: { ...SMALL, cell: 'gru', epochs: 2 }, runsDir }).exited));
  const dirs = ends.map((end, i) => {
    const finished = end.messages.find((m) => m.type === 'train/finished');
    assert.ok(finished?.type === 'train/finished', `run ${i} finished: ${JSON.stringify(end.messages.filter((m) => m.type === 'train/error'))}`);
    return finished.runDir;
  });
  assert.equal(new Set(dirs).size, 4, 'distinct run folders');
  assert.equal(listRuns(runsDir).length, 4);
  for (const [i, dir] of dirs.entries()) {
    const record = loadRunRecord(dir);
    assert.equal(record.status, 'completed');
    assert.equal(record.source.path, files[i]);
    assert.equal(record.source.sha256, sha256(fs.readFileSync(files[i])));
    const lines = checkMetrics(dir);
    assert.equal(Math.max(...lines.flatMap((l) => (l.kind === 'train' ? [l.step] : []))), record.progress.step, 'its own metrics, up to its last step');
    const predicted = await predictWith(dir, alphabets[i]);
    assert.ok(
      predicted.every((token) => alphabets[i].includes(token) || token === ' '),
      `run ${i} predicts from its own data: ${predicted}`,
    );
  }
});

/**
 * A preload that fills the disk under a folder: once the marker file exists, every write into that folder fails with
 * ENOSPC, as on a full disk (the engine cannot tell the difference).
 */
function fullDiskPreload(): string {
  const file = path.join(root, 'full-disk.cjs');
  fs.writeFileSync(
    file,
    `const fs = require('node:fs');
const path = require('node:path');
const dir = path.resolve(process.env.SEQLAB_FULL_DIR) + path.sep;
const marker = process.env.SEQLAB_FULL_MARKER;
const inDir = (p) => typeof p === 'string' && path.resolve(p).startsWith(dir);
const fds = new Set();
const writing = (flags) => /[wa+]/.test(String(flags ?? 'r'));
const checks = {
  openSync: (p, flags) => inDir(p) && writing(flags),
  mkdirSync: (p) => inDir(p),
  writeSync: (fd) => fds.has(fd),
  writeFileSync: (f) => (typeof f === 'number' ? fds.has(f) : inDir(f)),
  appendFileSync: (f) => (typeof f === 'number' ? fds.has(f) : inDir(f)),
};
for (const [name, check] of Object.entries(checks)) {
  const real = fs[name];
  fs[name] = function (...args) {
    if (fs.existsSync(marker) && check(...args)) throw Object.assign(new Error('ENOSPC: no space left on device, ' + name), { code: 'ENOSPC', errno: -28, syscall: name });
    const result = real.apply(this, args);
    if (name === 'openSync' && inDir(args[0])) fds.add(result);
    return result;
  };
}
const close = fs.closeSync;
fs.closeSync = (fd) => (fds.delete(fd), close(fd));
`,
  );
  return file;
}

/** Every file under a folder with its content, to show that a failed run left it untouched. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .sort()
      .map((f) => [f, fs.statSync(path.join(dir, f)).isFile() ? fs.readFileSync(path.join(dir, f), 'utf8') : 'dir']),
  );
}

test('a full disk when the run starts: a clear UsageError, no run folder left, the workspace untouched', { timeout: 60_000 }, async () => {
  const workspace = path.join(root, 'full-at-start');
  const runsDir = path.join(workspace, 'runs');
  fs.mkdirSync(runsDir, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'data.txt'), textOver('abc', 500, 1));
  const marker = path.join(root, 'full-at-start.marker');
  fs.writeFileSync(marker, '');
  const before = snapshot(workspace);
  const engine = startEngine(
    { file: path.join(workspace, 'data.txt'), args: SMALL, runsDir },
    { execArgv: ['--require', fullDiskPreload()], env: { ...process.env, SEQLAB_FULL_DIR: runsDir, SEQLAB_FULL_MARKER: marker } },
  );
  const { messages } = await engine.exited;
  const error = messages.find((m) => m.type === 'train/error');
  assert.ok(error?.type === 'train/error' && error.usage, JSON.stringify(messages.filter((m) => m.type !== 'train/note')));
  assert.match(error.message, /^Cannot write the run folder .*runs.*: the disk is full\. Choose another with --runs-dir/);
  assert.deepEqual(snapshot(workspace), before);
});

test(
  'the disk fills up mid-training: a clear UsageError; the run reads as failed, never completed, with its metrics and best checkpoint',
  { timeout: 60_000 },
  async () => {
    const runsDir = path.join(root, 'full-later');
    const marker = path.join(root, 'full-later.marker');
    const engine = startEngine(
      { text: textOver('abcdef', 3000, 2), args: SMALL, runsDir },
      { execArgv: ['--require', fullDiskPreload()], env: { ...process.env, SEQLAB_FULL_DIR: runsDir, SEQLAB_FULL_MARKER: marker } },
    );
    engine.onProgress((count) => count === 3 && fs.writeFileSync(marker, ''));
    const { messages } = await engine.exited;
    const runDir = await engine.created;
    const error = messages.find((m) => m.type === 'train/error');
    assert.ok(error?.type === 'train/error' && error.usage, JSON.stringify(messages.filter((m) => m.type !== 'train/note')));
    assert.match(error.message, /^Cannot write the run folder .*: the disk is full\. Choose another with --runs-dir/);
    assert.ok(!messages.some((m) => m.type === 'train/finished'));
    const record = loadRunRecord(runDir);
    assert.equal(record.status, 'failed');
    checkMetrics(runDir);
    await predictWith(runDir);
  },
);

/**
 * A runs folder that cannot be written. A folder with mode 0555 when that stops this user (not root); as root, which
 * writes anyway, a path under a regular file, where creating the folder fails.
 */
function unwritableRunsDir(): string {
  const readOnly = path.join(root, 'read-only');
  fs.mkdirSync(readOnly, { mode: 0o555 });
  fs.chmodSync(readOnly, 0o555);
  try {
    fs.writeFileSync(path.join(readOnly, 'probe'), '');
  } catch {
    return path.join(readOnly, 'runs');
  }
  const file = path.join(root, 'a-file');
  fs.writeFileSync(file, '');
  return path.join(file, 'runs');
}

test('a read-only runs folder: a clear UsageError, the workspace untouched', { timeout: 60_000 }, async () => {
  const workspace = path.join(root, 'workspace');
  fs.mkdirSync(path.join(workspace, '.git'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'data.txt'), textOver('abc', 500, 3));
  const before = snapshot(workspace);
  const runsDir = unwritableRunsDir();
  await assert.rejects(train({ file: path.join(workspace, 'data.txt'), runsDir, args: SMALL }), (error: Error) => {
    assert.ok(error instanceof UsageError);
    assert.match(
      error.message,
      /^Cannot write the run folder .*: (it is read-only|a part of its path is a file, not a folder)\. Choose another with --runs-dir/,
    );
    return true;
  });
  assert.deepEqual(snapshot(workspace), before);
});
