// End-to-end engine tests: the "hello" exercise, baselines beaten, determinism, checkpoints, cancel, resume and bad run folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir, writeSeriesCsv } from '../testHelpers';
import { train, type TrainRequest } from './train';
import { evaluateRun, forecastNext, generateText, loadRun, predictNext } from './predict';
import { listRuns, readMetrics } from './runStore';
import { Rng } from './rng';
import type { TrainArgs } from '../shared/options';
import type { RunSummary } from '../shared/runFolder';
import { GENERATE_DEFAULTS } from '../shared/options';

const runsDir = tempDir('seqlab-train-test-');

/** Trains quietly into the test's runs folder. */
function quickTrain(request: TrainRequest, args: Partial<TrainArgs>, signal?: AbortSignal) {
  return train({ runsDir, ...request, args: { backend: 'wasm', ...args } }, { signal });
}

function trainLosses(runDir: string): number[] {
  return readMetrics(runDir).flatMap((line) => (line.kind === 'train' ? [line.loss] : []));
}

test('the exercise: trained on "hello" repeated, the model predicts "o" after "hell" with probability > 0.9', async () => {
  const result = await quickTrain({ text: 'hello'.repeat(20) }, { cell: 'rnn', hidden: 32, seqLen: 8, epochs: 10, lr: 0.01 });
  assert.equal(result.record.status, 'completed', result.record.message);
  const run = await loadRun(result.runDir);
  const { topK } = predictNext(run, 'hell', 3);
  assert.equal(topK[0].token, 'o');
  assert.ok(topK[0].prob > 0.9, `P(o | hell) = ${topK[0].prob}`);
  assert.equal(generateText(run, 'he', { ...GENERATE_DEFAULTS, length: 8, temperature: 0, topK: 0, seed: 1 }).text, 'llohello');
  run.model.dispose();
});

test('every cell learns "hello": LSTM and GRU too', async () => {
  for (const cell of ['lstm', 'gru'] as const) {
    const result = await quickTrain({ text: 'hello'.repeat(20) }, { cell, hidden: 32, seqLen: 8, epochs: 10, lr: 0.01 });
    const run = await loadRun(result.runDir);
    const { topK } = predictNext(run, 'hell', 1);
    assert.deepEqual([cell, topK[0].token], [cell, 'o']);
    assert.ok(topK[0].prob > 0.9, `${cell}: P(o | hell) = ${topK[0].prob}`);
    run.model.dispose();
  }
});

test('a text with structure: the model beats the bigram baseline in bits per character', async () => {
  const words = ['river', 'stone', 'lantern', 'harbour', 'meadow', 'thunder', 'willow', 'copper'];
  const rng = new Rng(7);
  const text = Array.from({ length: 3000 }, () => words[rng.int(words.length)]).join(' ');
  const result = await quickTrain({ text }, { cell: 'lstm', hidden: 64, seqLen: 32, epochs: 4, lr: 0.01 });
  const summary = result.record.summary;
  assert.ok(summary?.task === 'text');
  const model = summary.metrics.bitsPerChar as number;
  const bigram = summary.baselines.bigram.bitsPerChar as number;
  assert.ok(model < bigram * 0.8, `model ${model.toFixed(3)} bpc vs bigram ${bigram.toFixed(3)} bpc`);
});

/** Writes an hourly seasonal series with a second cycle that seasonal-naive cannot copy, as CSV with a date column, to the runs folder. */
function writeSeasonalCsv(name: string, rows: number): string {
  const rng = new Rng(11);
  const value = (t: number) => 10 + 3 * Math.sin((2 * Math.PI * t) / 24) + 1.5 * Math.sin((2 * Math.PI * t) / 61) + 0.1 * (rng.next() - 0.5);
  return writeSeriesCsv(runsDir, name, rows, value, { time: 'date-time', digits: 4 });
}

test("a synthetic seasonal series: the model's test MAE beats naive and seasonal-naive", async () => {
  const file = writeSeasonalCsv('seasonal.csv', 1500);
  const result = await quickTrain({ file }, { cell: 'gru', hidden: 32, lookback: 48, horizon: 12, epochs: 8, lr: 0.005, season: 24 });
  assert.equal(result.record.status, 'completed', result.record.message);
  const summary = result.record.summary;
  assert.ok(summary?.task === 'series');
  const { metrics, baselines } = summary;
  assert.ok(baselines.seasonalNaive);
  assert.ok(metrics.mae < baselines.naive.mae, `model MAE ${metrics.mae} vs naive ${baselines.naive.mae}`);
  assert.ok(metrics.mae < baselines.seasonalNaive.mae, `model MAE ${metrics.mae} vs seasonal naive ${baselines.seasonalNaive.mae}`);
  const run = await loadRun(result.runDir);
  const forecast = await forecastNext(run, undefined);
  assert.equal(forecast.forecast.length, 12);
  assert.equal((forecast.time as number[])[0] - Date.UTC(2024, 0, 1), 1500 * 3_600_000);
  const chart = JSON.parse(fs.readFileSync(path.join(result.runDir, 'forecast.json'), 'utf8'));
  assert.deepEqual(Object.keys(chart.backtest).sort(), ['ets', 'model', 'naive', 'seasonalNaive']);
  run.model.dispose();
});

test('divergence stops the run with a clear message and keeps the last good checkpoint', async () => {
  const file = writeSeasonalCsv('diverge.csv', 600);
  const result = await quickTrain({ file }, { cell: 'rnn', hidden: 16, lookback: 24, horizon: 6, lr: 5, clip: 0, epochs: 5, season: 24, loss: 'mse' });
  assert.equal(result.record.status, 'failed');
  assert.match(
    result.record.message ?? '',
    /Training diverged at step \d+ .*Try a lower --lr \(now 5\) or gradient clipping \(--clip 1\)\. The best checkpoint \(step 0\) is kept\./,
  );
  const run = await loadRun(result.runDir);
  assert.ok((await forecastNext(run, undefined)).forecast.every(Number.isFinite));
  run.model.dispose();
});

test('the same seed on the same backend gives the same loss curve; another seed does not', async () => {
  const args: Partial<TrainArgs> = { cell: 'gru', hidden: 16, seqLen: 16, epochs: 1, dropout: 0.2, layers: 2 };
  const text = 'the quick brown fox jumps over the lazy dog. '.repeat(30);
  const a = trainLosses((await quickTrain({ text }, { ...args, seed: 5 })).runDir);
  const b = trainLosses((await quickTrain({ text }, { ...args, seed: 5 })).runDir);
  const c = trainLosses((await quickTrain({ text }, { ...args, seed: 6 })).runDir);
  assert.ok(a.length >= 20);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('save then load gives identical predictions and metrics', async () => {
  const text = 'she sells sea shells by the sea shore. '.repeat(40);
  const result = await quickTrain({ text }, { cell: 'lstm', hidden: 24, seqLen: 16, epochs: 2 });
  const first = await loadRun(result.runDir);
  const second = await loadRun(result.runDir);
  assert.deepEqual(predictNext(first, 'sea sh', 5), predictNext(second, 'sea sh', 5));
  // Re-evaluating gives the run's figures again, plus the held-out split scored the other way (state carried or reset).
  const { scorings, ...reevaluated } = (await evaluateRun(first, undefined)) as Extract<RunSummary, { task: 'text' }>;
  assert.deepEqual(reevaluated, result.record.summary);
  assert.deepEqual(scorings?.[reevaluated.metrics.state ?? 'reset'], reevaluated.metrics);
  first.model.dispose();
  second.model.dispose();
});

test('cancelling from outside (a timer, like an IPC message or SIGINT) stops between batches and keeps a usable checkpoint', { timeout: 60_000 }, async () => {
  const controller = new AbortController();
  const text = 'abcabcabd'.repeat(200);
  setTimeout(() => controller.abort(), 1500);
  const result = await train(
    { text, runsDir, args: { backend: 'wasm', cell: 'rnn', hidden: 16, seqLen: 16, epochs: 1000, evalEvery: 5, patience: 0 } },
    { signal: controller.signal },
  );
  assert.equal(result.record.status, 'cancelled');
  assert.ok(result.record.progress.epoch < 1000, 'stopped long before the last epoch');
  assert.ok(trainLosses(result.runDir).length >= 12);
  assert.ok(result.record.summary?.task === 'text', 'a cancelled run is still evaluated');
  const run = await loadRun(result.runDir);
  assert.equal(predictNext(run, 'ab', 1).topK.length, 1);
  run.model.dispose();
});

test('resuming continues from the last checkpoint', async () => {
  const text = 'resume me, resume me again. '.repeat(40);
  const first = await quickTrain({ text }, { cell: 'gru', hidden: 16, seqLen: 16, epochs: 1, evalEvery: 10 });
  const stepsBefore = first.record.progress.step;
  const resumed = await train({ resume: first.runDir, args: { epochs: 2 } });
  assert.equal(resumed.record.status, 'completed');
  assert.equal(resumed.record.progress.step, stepsBefore * 2);
  const events = readMetrics(first.runDir).filter((l) => l.kind === 'event');
  assert.match(events.map((e) => e.message).join(), /Resumed at step/);
  // The decayed schedule goes on from where it ended instead of restarting at the peak.
  const rates = readMetrics(first.runDir).flatMap((l) => (l.kind === 'train' && l.lr !== undefined ? [{ step: l.step, lr: l.lr }] : []));
  const ended = rates.filter((r) => r.step <= stepsBefore).at(-1)?.lr as number;
  assert.ok(ended < rates[0].lr, 'the first session decayed its learning rate');
  assert.ok(
    rates.filter((r) => r.step > stepsBefore).every((r) => r.lr <= ended * (1 + 1e-9)),
    'the resumed session starts no higher than the first one ended',
  );
});

test('corrupt or partial run folders are reported by the listing and refused clearly when loaded', async (t) => {
  const dir = tempDir('seqlab-corrupt-', t);
  const good = await train({ text: 'hello'.repeat(10), runsDir: dir, args: { backend: 'wasm', hidden: 8, seqLen: 4, epochs: 1 } });
  fs.mkdirSync(path.join(dir, 'no-record'));
  fs.mkdirSync(path.join(dir, 'bad-json'));
  fs.writeFileSync(path.join(dir, 'bad-json', 'run.json'), '{"formatVersion": 1, "id": "x", ');
  const truncated = path.join(dir, 'truncated-model');
  fs.cpSync(good.runDir, truncated, { recursive: true });
  const modelJson = path.join(truncated, 'model.json');
  fs.writeFileSync(modelJson, fs.readFileSync(modelJson, 'utf8').slice(0, 40));
  const future = path.join(dir, 'future');
  fs.cpSync(good.runDir, future, { recursive: true });
  const record = JSON.parse(fs.readFileSync(path.join(future, 'run.json'), 'utf8'));
  fs.writeFileSync(path.join(future, 'run.json'), JSON.stringify({ ...record, formatVersion: 99 }));

  const listing = listRuns(dir);
  const problems = Object.fromEntries(listing.filter((r) => !r.ok).map((r) => [path.basename(r.dir), (r as { problem: string }).problem]));
  assert.match(problems['no-record'], /not a SeqLab run folder/);
  assert.match(problems['bad-json'], /not valid JSON/);
  assert.match(problems.future, /newer SeqLab/);
  assert.equal(listing.filter((r) => r.ok).length, 2);
  await assert.rejects(loadRun(truncated), /cannot be loaded: model\.json is not valid JSON/);
});
