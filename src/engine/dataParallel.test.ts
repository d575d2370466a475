// Checks data-parallel training: shards cover the batch, threads give the main thread's gradients (class-weighted classifiers too), failures surface.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { relativeError, REPO_ROOT, tempDir } from '../testHelpers';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './backend';
import { chooseThreads, ShardedGradients, stepWork } from './dataParallel';
import { SequenceModel } from './model';
import { splitBatch } from './tasks/batch';
import { train } from './train';
import { readMetrics } from './runStore';
import { Rng } from './rng';
import type { ModelSpec } from '../shared/runFolder';
import type { LossSpec, TrainBatch } from '../shared/protocol';

const runsDir = tempDir('seqlab-parallel-test-');

const TEXT_SPEC: ModelSpec = { task: 'text', cell: 'lstm', hidden: 24, layers: 2, dropout: 0, vocabSize: 11, embedding: 8 };
const SERIES_SPEC: ModelSpec = { task: 'series', cell: 'gru', hidden: 16, layers: 1, dropout: 0, inputSize: 2, horizon: 3 };
const CLASSIFY_SPEC: ModelSpec = { task: 'classify', cell: 'lstm', hidden: 16, layers: 1, dropout: 0, vocabSize: 11, embedding: 8, classes: 3, pool: 'mean' };

function textBatch(rows: number, seqLen: number, vocab: number): TrainBatch {
  const rng = new Rng(7);
  const inputs = Int32Array.from({ length: rows * seqLen }, () => rng.int(vocab));
  const targets = Int32Array.from({ length: rows * seqLen }, () => rng.int(vocab));
  return { rows, inputs, targets };
}

function seriesBatch(rows: number, lookback: number, features: number, horizon: number): TrainBatch {
  const rng = new Rng(8);
  return {
    rows,
    inputs: Float32Array.from({ length: rows * lookback * features }, () => rng.next() - 0.5),
    targets: Float32Array.from({ length: rows * horizon }, () => rng.next() - 0.5),
  };
}

test('splitBatch cuts rows into even consecutive shards that put the batch back together', () => {
  const batch = textBatch(11, 5, 9);
  const shards = splitBatch(batch, 3);
  assert.deepEqual(
    shards.map((s) => s.rows),
    [4, 4, 3],
  );
  assert.deepEqual(Int32Array.from(shards.flatMap((s) => [...s.inputs])), batch.inputs);
  assert.deepEqual(Int32Array.from(shards.flatMap((s) => [...s.targets])), batch.targets);
  assert.deepEqual(
    splitBatch(textBatch(2, 5, 9), 4).map((s) => s.rows),
    [1, 1],
  );
});

test('chooseThreads: one thread for tiny steps and on tfjs-node, the cores for big ones, never shards under 4 rows', () => {
  const big = stepWork({ ...TEXT_SPEC, hidden: 128, layers: 1, vocabSize: 65, embedding: 32 }, 32, 64);
  const hello = stepWork({ ...TEXT_SPEC, hidden: 128, layers: 1, vocabSize: 4, embedding: 32 }, 32, 5);
  assert.equal(chooseThreads(0, 'wasm', 32, hello), 1);
  assert.equal(chooseThreads(0, 'tensorflow', 32, big), 1);
  assert.equal(chooseThreads(0, 'wasm', 32, big), Math.min(os.availableParallelism(), 8));
  assert.equal(chooseThreads(3, 'tensorflow', 32, hello), 3);
  assert.equal(chooseThreads(8, 'wasm', 10, big), 2);
});

/** Texts of 1 to `time` tokens, right-padded, with a class each: most of class 0, so that the shards' class weights differ. */
function classifyBatch(rows: number, time: number): TrainBatch {
  const rng = new Rng(10);
  const lengths = Int32Array.from({ length: rows }, () => 1 + rng.int(time));
  const inputs = new Int32Array(rows * time);
  lengths.forEach((length, r) => {
    for (let t = 0; t < length; t++) inputs[r * time + t] = 1 + rng.int(10);
  });
  return { rows, inputs, targets: Int32Array.from({ length: rows }, (_, r) => (r < rows / 2 ? 0 : 1 + (r % 2))), lengths };
}

/** A text batch whose rows start from a given (random) state, as stateful training's do. */
function statefulTextBatch(rows: number, seqLen: number, vocab: number): TrainBatch {
  const rng = new Rng(9);
  const state = Array.from({ length: TEXT_SPEC.layers * 2 }, () => Float32Array.from({ length: rows * TEXT_SPEC.hidden }, () => rng.next() - 0.5));
  return { ...textBatch(rows, seqLen, vocab), state };
}

for (const [kind, spec, lossSpec, batch] of [
  ['text', TEXT_SPEC, { task: 'text' }, textBatch(9, 6, 11)],
  ['stateful text', TEXT_SPEC, { task: 'text' }, statefulTextBatch(9, 6, 11)],
  ['series', SERIES_SPEC, { task: 'series', loss: 'mse' }, seriesBatch(10, 7, 2, 3)],
  ['class-weighted classify', CLASSIFY_SPEC, { task: 'classify', classWeights: [0.5, 2, 3] }, classifyBatch(10, 6)],
] as [string, ModelSpec, LossSpec, TrainBatch][]) {
  test(`${kind}: the loss and gradients from 3 threads match one thread's (wasm)`, async () => {
    await initBackend('wasm');
    const model = SequenceModel.create(spec, 3);
    const single = await ShardedGradients.start({ spec, lossSpec, backend: 'wasm' }, 1, assert.fail);
    const sharded = await ShardedGradients.start({ spec, lossSpec, backend: 'wasm' }, 3, assert.fail);
    try {
      assert.equal(sharded.threads, 3);
      const one = await single.compute(model, batch, 5);
      const three = await sharded.compute(model, batch, 5);
      assert.ok(Math.abs(one.loss - three.loss) < 1e-5 * Math.abs(one.loss), `loss ${three.loss} vs ${one.loss}`);
      const difference = relativeError(three.grads, one.grads);
      assert.ok(difference < 1e-5, `relative gradient difference ${difference}`);
      assert.equal(one.grads.length, model.variables.length);
      assert.ok(
        one.grads.some((g) => g.some((value) => value !== 0)),
        'the gradients are not all zero',
      );
      assert.equal(Boolean(one.state), Boolean(batch.state), 'a final state comes back exactly when the batch had one');
      if (one.state && three.state) {
        assert.equal(one.state.length, TEXT_SPEC.layers * 2);
        assert.ok(relativeError(three.state, one.state) < 1e-5, 'the shards put the final state back together in row order');
      }
    } finally {
      model.dispose();
      await Promise.all([single.dispose(), sharded.dispose()]);
    }
  });
}

test('an error in a worker thread rejects the step with its message, and the workers can be stopped', async () => {
  await initBackend('wasm');
  const model = SequenceModel.create(TEXT_SPEC, 3);
  const sharded = await ShardedGradients.start({ spec: TEXT_SPEC, lossSpec: { task: 'text' }, backend: 'wasm' }, 2, assert.fail);
  try {
    const batch = textBatch(8, 4, 11);
    batch.targets[batch.targets.length - 1] = 99; // in the second shard, which the worker takes
    await assert.rejects(sharded.compute(model, batch, 1), /label 99 is not in \[0, 11\)/);
    const before = tf.memory().numTensors;
    await assert.rejects(sharded.compute(model, batch, 1));
    assert.equal(tf.memory().numTensors, before, 'a failed step leaks no tensors');
  } finally {
    model.dispose();
    await sharded.dispose();
  }
});

test('when the workers cannot start, training goes on with one thread and says why', async () => {
  await initBackend('wasm');
  const notes: string[] = [];
  const backend = 'no-such-backend' as unknown as 'wasm';
  const gradients = await ShardedGradients.start({ spec: TEXT_SPEC, lossSpec: { task: 'text' }, backend }, 2, (note) => notes.push(note));
  assert.equal(gradients.threads, 1);
  assert.match(notes.join('\n'), /Training on one thread: the gradient worker threads could not start \(.*no-such-backend/);
  const model = SequenceModel.create(TEXT_SPEC, 3);
  const { loss } = await gradients.compute(model, textBatch(8, 4, 11), 1);
  assert.ok(Number.isFinite(loss));
  model.dispose();
  await gradients.dispose();
});

test('a run trained on 2 threads records them, repeats its loss curve exactly, and reaches the loss of the same run on one thread', async () => {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'samples', 'english.txt'), 'utf8').slice(0, 40_000);
  const args = { backend: 'wasm' as const, hidden: 32, batch: 16, seqLen: 32, epochs: 1, evalEvery: 1000 };
  const one = await train({ runsDir, text, args: { ...args, threads: 1 } });
  const two = await train({ runsDir, text, args: { ...args, threads: 2 } });
  const again = await train({ runsDir, text, args: { ...args, threads: 2 } });
  const losses = (r: typeof one) => readMetrics(r.runDir).flatMap((line) => (line.kind === 'train' ? [line.loss] : []));
  assert.ok(losses(two).length > 10);
  assert.deepEqual(losses(again), losses(two));
  assert.equal(one.record.threads, 1);
  assert.equal(two.record.threads, 2);
  const loss = (r: typeof one) => (r.record.summary?.task === 'text' ? r.record.summary.metrics.valLoss : NaN);
  assert.ok(Math.abs(loss(one) - loss(two)) < 1e-3, `validation loss ${loss(two)} on 2 threads vs ${loss(one)} on 1`);
});
