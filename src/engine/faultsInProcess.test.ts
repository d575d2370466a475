// Fault injection inside one process: a crash at every point of a checkpoint write, stale temporary files, a metrics line cut short, the data file changed mid-run, tensor leaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as path from 'node:path';
import { tempDir, writeSeriesCsv } from '../testHelpers';
import * as tf from '@tensorflow/tfjs-core';
import { saveModel } from './modelCheckpoint';
import { train } from './train';
import { loadRun, predictNext, type LoadedRun } from './predict';
import { SequenceModel } from './model';
import { loadRunRecord, markRunFailed, readMetrics } from './runStore';
import { METRICS_FILE, RUN_FILE } from '../shared/runFolder';
import type { TrainArgs } from '../shared/options';

const root = tempDir('seqlab-faults-inprocess-');
const SMALL: Partial<TrainArgs> = { backend: 'wasm', cell: 'gru', hidden: 8, seqLen: 8, evalEvery: 5 };
/** A pid no process has (above Linux's largest pid_max). */
const DEAD_PID = 2 ** 22 + 7;

/** The simulated crash: thrown by the k-th write, after which nothing more reaches the disk. */
class Crash extends Error {}

/** The fs functions that change the disk, and what a crash in the middle of each leaves behind. */
const MUTATIONS = ['openSync', 'writeFileSync', 'writeSync', 'fsyncSync', 'renameSync', 'rmSync', 'unlinkSync', 'ftruncateSync'] as const;

/**
 * Runs `action` with the disk "crashing" at its k-th change: that call throws (a file write keeps only its first half)
 * and every later change, cleanup included, is dropped, as when the process is killed at that instant.
 * Returns whether the crash happened (false: `action` made fewer than k changes).
 */
async function crashAt(k: number, action: () => Promise<void>): Promise<boolean> {
  const real = Object.fromEntries(MUTATIONS.map((name) => [name, fs[name]])) as Record<(typeof MUTATIONS)[number], (...args: unknown[]) => unknown>;
  let count = 0;
  let crashed = false;
  const patched = Object.fromEntries(
    MUTATIONS.map((name) => [
      name,
      (...args: unknown[]) => {
        const writes = name === 'openSync' ? /[wa+]/.test(String(args[1] ?? 'r')) : true;
        if (writes && !crashed && ++count === k) {
          crashed = true;
          if (name === 'writeFileSync' && ArrayBuffer.isView(args[1]))
            real.writeFileSync(args[0], (args[1] as Uint8Array).subarray(0, (args[1] as Uint8Array).length >> 1));
          throw new Crash(`crash at ${name}`);
        }
        if (writes && crashed) throw new Crash(`after the crash: ${name}`);
        return real[name](...args);
      },
    ]),
  );
  Object.assign(fs, patched);
  try {
    await action();
  } catch (error) {
    if (!(error instanceof Crash)) throw error;
  } finally {
    Object.assign(fs, real);
  }
  return crashed;
}

function tempFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));
}

test('a crash at any point of a checkpoint write leaves a model that loads: the previous one or the new one', { timeout: 120_000 }, async (t) => {
  const first = await train({ text: 'abcabd'.repeat(80), runsDir: path.join(root, 'atomic'), args: { ...SMALL, epochs: 1 } });
  const old = await loadRun(first.runDir);
  const newer: LoadedRun = { ...old, model: SequenceModel.create(old.model.spec, 99) };
  const expected = { old: predictNext(old, 'abc', 3), new: predictNext(newer, 'abc', 3) };
  assert.notDeepEqual(expected.old, expected.new, 'the two checkpoints can be told apart');
  const seen = { old: 0, new: 0, leftoverTemp: 0, weightsWithoutModelJson: 0 };
  let k = 1;
  for (; ; k++) {
    const dir = path.join(root, `crash-${k}`);
    fs.cpSync(first.runDir, dir, { recursive: true });
    const modelJsonBefore = fs.readFileSync(path.join(dir, 'model.json'), 'utf8');
    if (!(await crashAt(k, () => saveModel(dir, newer.model, 100_000)))) break;
    if (tempFiles(dir).length) seen.leftoverTemp++;
    if (fs.existsSync(path.join(dir, 'weights-100000.bin')) && fs.readFileSync(path.join(dir, 'model.json'), 'utf8') === modelJsonBefore)
      seen.weightsWithoutModelJson++;
    const run = await loadRun(dir);
    const prediction = predictNext(run, 'abc', 3);
    run.model.dispose();
    const which = Object.entries(expected).find(([, p]) => JSON.stringify(p) === JSON.stringify(prediction))?.[0] as 'old' | 'new' | undefined;
    assert.ok(which, `crash point ${k}: the model loaded is neither the previous nor the new one`);
    seen[which]++;
  }
  t.diagnostic(`crash points: ${k - 1}; loaded the previous model ${seen.old} times, the new one ${seen.new} times`);
  assert.ok(seen.old > 0 && seen.new > 0 && seen.leftoverTemp > 0 && seen.weightsWithoutModelJson > 0, JSON.stringify(seen));
  old.model.dispose();
  newer.model.dispose();
});

test(
  "stale temporary files are ignored by loading and cleaned by the next checkpoint and by marking the run failed; a live writer's are kept",
  { timeout: 60_000 },
  async () => {
    const first = await train({ text: 'xyzxyw'.repeat(80), runsDir: path.join(root, 'stale'), args: { ...SMALL, epochs: 1 } });
    const dir = first.runDir;
    const stale = [`model.json.${DEAD_PID}.0a0b0c0d.tmp`, `weights-99.bin.${DEAD_PID}.01020304.tmp`, `run.json.${process.pid}.0f0f0f0f.tmp`];
    const live = `run.json.${process.ppid}.aabbccdd.tmp`;
    for (const file of [...stale, live]) fs.writeFileSync(path.join(dir, file), '{"truncated');
    const run = await loadRun(dir);
    assert.equal(predictNext(run, 'xy', 1).topK.length, 1);
    await saveModel(dir, run.model, 12_345);
    assert.deepEqual(tempFiles(dir), [live]);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.startsWith('weights-')),
      ['weights-12345.bin'],
      'older weights are removed',
    );

    fs.writeFileSync(path.join(dir, stale[0]), '{"truncated');
    const record = JSON.parse(fs.readFileSync(path.join(dir, RUN_FILE), 'utf8'));
    fs.writeFileSync(path.join(dir, RUN_FILE), JSON.stringify({ ...record, status: 'running', pid: DEAD_PID }));
    markRunFailed(dir, 'killed');
    assert.equal(loadRunRecord(dir).status, 'failed');
    assert.deepEqual(tempFiles(dir), [live]);
    run.model.dispose();
  },
);

test('resuming a run whose last metrics line was cut short drops that partial line, so no later line is damaged', { timeout: 60_000 }, async () => {
  const first = await train({ text: 'resume after a crash. '.repeat(30), runsDir: path.join(root, 'partial-line'), args: { ...SMALL, epochs: 1 } });
  const metricsFile = path.join(first.runDir, METRICS_FILE);
  const complete = readMetrics(first.runDir).length;
  fs.appendFileSync(metricsFile, '{"kind":"train","step":99,"lo');
  const resumed = await train({ resume: first.runDir, args: { epochs: 2 } });
  assert.equal(resumed.record.status, 'completed');
  const lines = fs.readFileSync(metricsFile, 'utf8').trimEnd().split('\n');
  for (const line of lines) JSON.parse(line);
  assert.ok(lines.length > complete + 1);
  assert.equal(readMetrics(first.runDir).length, lines.length);
});

const changedNote = /^The data file changed during training; this run used the version read at the start \(sha256 [0-9a-f]{12}…\)\.$/;
const deletedNote = /^The data file was deleted during training; this run used the version read at the start \(sha256 [0-9a-f]{12}…\)\.$/;

/** Trains on a file, doing `change` to it at the first progress report; returns the notes and metrics events of the run. */
async function trainWhileChanging(file: string, args: Partial<TrainArgs>, change: () => void) {
  let changed = false;
  const result = await train(
    { file, runsDir: path.join(root, 'changed-runs'), args: { ...SMALL, ...args } },
    {
      onProgress: () => {
        if (!changed) change();
        changed = true;
      },
    },
  );
  assert.equal(result.record.status, 'completed', result.record.message);
  const events = readMetrics(result.runDir).flatMap((l) => (l.kind === 'event' ? [l.message] : []));
  return { record: loadRunRecord(result.runDir), events, runDir: result.runDir };
}

test('the data file changes during training: the run completes on what it read, and says so in run.json and metrics', { timeout: 60_000 }, async () => {
  const file = path.join(root, 'changing.txt');
  fs.writeFileSync(file, 'the data as it was read. '.repeat(40));
  const { record, events } = await trainWhileChanging(file, { epochs: 2 }, () => fs.appendFileSync(file, 'and more written later'));
  assert.equal(record.source.sha256.slice(0, 12), record.notes.at(-1)?.match(/sha256 ([0-9a-f]{12})/)?.[1]);
  assert.match(record.notes.at(-1) ?? '', changedNote);
  assert.ok(events.some((e) => changedNote.test(e)));
  assert.equal(record.data.kind === 'text' && record.data.vocab.includes('m'), false, 'the vocabulary is that of the data read at the start');
});

test('the data file is deleted during training: the run completes (a series run too, with its forecast) and notes it', { timeout: 60_000 }, async () => {
  const file = writeSeriesCsv(root, 'deleted.csv', 400, (i) => Math.sin(i / 4) * 5 + 10, { time: 'index' });
  const { record, events, runDir } = await trainWhileChanging(file, { epochs: 2, lookback: 16, horizon: 4 }, () => fs.rmSync(file));
  assert.match(record.notes.at(-1) ?? '', deletedNote);
  assert.ok(events.some((e) => deletedNote.test(e)));
  assert.ok(fs.existsSync(path.join(runDir, 'forecast.json')));
  const unchanged = path.join(root, 'unchanged.txt');
  fs.writeFileSync(unchanged, 'nothing changes here. '.repeat(40));
  const quiet = await trainWhileChanging(unchanged, { epochs: 1 }, () => undefined);
  assert.ok(!quiet.record.notes.some((n) => /during training/.test(n)), 'no note when the file did not change');
});

test('tensor hygiene: the number of live tensors does not grow across epochs', { timeout: 120_000 }, async () => {
  for (const [cell, request] of [
    ['lstm', { text: 'count the tensors at every evaluation. '.repeat(60) }],
    ['gru', { file: writeSeriesCsv(root, 'hygiene.csv', 600, (i) => Math.cos(i / 5) * 3, { time: 'index' }) }],
  ] as const) {
    const samples: { epoch: number; tensors: number }[] = [];
    await train(
      { ...request, runsDir: path.join(root, 'hygiene'), args: { ...SMALL, cell, layers: 2, dropout: 0.1, epochs: 4, lookback: 16, horizon: 4 } },
      { onProgress: (p) => samples.push({ epoch: p.epoch, tensors: tf.memory().numTensors }) },
    );
    const afterFirst = samples.filter((s) => s.epoch >= 1);
    assert.ok(afterFirst.length >= 3 && samples.at(-1)!.epoch >= 3, `${cell}: sampled across epochs (${samples.length} samples)`);
    const counts = new Set(afterFirst.map((s) => s.tensors));
    assert.deepEqual([cell, [...counts]], [cell, [afterFirst[0].tensors]], `${cell}: live tensors per sample ${JSON.stringify(samples)}`);
  }
});
