// Tests of the classifier model: padding never changes a text's probabilities, every pooling trains on wasm, and model.json keeps the classify spec.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { assertRelativelyClose } from '../testHelpers';
import { initBackend, type BackendName } from './backend';
import { SequenceModel } from './model';
import { batchLoss } from './tasks/batch';
import { POOL_MODES, type CellType, type PoolMode } from '../shared/options';
import type { ModelSpec } from '../shared/runFolder';

const VOCAB = 30;

function classifier(cell: CellType, pool: PoolMode, layers = 2): ModelSpec {
  return { task: 'classify', cell, hidden: 12, layers, dropout: 0, vocabSize: VOCAB, embedding: 6, classes: 3, pool };
}

/** Softmax of the classifier's logits for texts right-padded with 0 to the longest. */
function probabilities(model: SequenceModel, texts: number[][]): number[][] {
  const time = Math.max(...texts.map((t) => t.length));
  const ids = texts.flatMap((t) => [...t, ...new Array<number>(time - t.length).fill(0)]);
  return tf.tidy(() =>
    tf
      .softmax(
        model.classifyLogits(
          tf.tensor2d(ids, [texts.length, time], 'int32'),
          Int32Array.from(texts, (t) => t.length),
        ),
      )
      .arraySync(),
  ) as number[][];
}

for (const backend of ['cpu', 'wasm'] as BackendName[]) {
  test(`${backend}: a text alone and beside a much longer one gets the same probabilities, for every cell and pooling`, async () => {
    await initBackend(backend);
    const short = [3, 7, 1, 9];
    const long = Array.from({ length: 90 }, (_, t) => 1 + ((t * 7) % (VOCAB - 1)));
    for (const cell of ['rnn', 'lstm', 'gru'] as CellType[]) {
      for (const pool of POOL_MODES) {
        const model = SequenceModel.create(classifier(cell, pool), 3);
        const [alone] = probabilities(model, [short]);
        const [, beside] = probabilities(model, [long, short]);
        // Padding of other ids than 0 must not matter either: the padding is never read.
        const time = long.length;
        const noisy = tf.tidy(() => {
          const ids = [...long, ...short, ...new Array<number>(time - short.length).fill(5)];
          return tf.softmax(model.classifyLogits(tf.tensor2d(ids, [2, time], 'int32'), Int32Array.of(time, short.length))).arraySync() as number[][];
        })[1];
        assertRelativelyClose(beside, alone, `${cell}/${pool} beside a long text`, 1e-5);
        assertRelativelyClose(noisy, alone, `${cell}/${pool} padded with another id`, 1e-5);
        // The pooling reads the text: another last token changes the result.
        const [other] = probabilities(model, [[3, 7, 1, 10]]);
        assert.ok(Math.abs(other[0] - alone[0]) > 1e-6, `${cell}/${pool} reads the last token`);
        model.dispose();
      }
    }
  });
}

test('every pooling trains on wasm: gradients reach the embedding, and the padded steps get none', async () => {
  await initBackend('wasm');
  for (const pool of POOL_MODES) {
    const model = SequenceModel.create(classifier('lstm', pool, 1), 1);
    const batch = { rows: 2, inputs: Int32Array.of(1, 2, 3, 4, 5, 0, 0, 0), targets: Int32Array.of(0, 2), lengths: Int32Array.of(4, 1) };
    const { value, grads } = tf.variableGrads(() => batchLoss({ task: 'classify', classWeights: null }, model, batch, 0).loss);
    assert.ok(Number.isFinite(value.dataSync()[0]), pool);
    const table = Object.entries(grads).find(([name]) => name === model.variables[0].name)?.[1] as tf.Tensor2D;
    const rows = table.arraySync();
    const touched = rows.map((row) => row.some((g) => g !== 0));
    // Tokens 1..5 are read, token 0 only pads the second row. With `max`, a token whose step is no unit's maximum gets
    // no gradient (token 4 here, at the end of the first text), but the first token reaches every later step.
    const read = pool === 'max' ? [false, true, true, true, touched[4], true, false] : [false, true, true, true, true, true, false];
    assert.deepEqual(touched.slice(0, 7), read, `${pool}: embedding rows with a gradient`);
    tf.dispose([value, ...Object.values(grads)]);
    model.dispose();
  }
});

test('class weights: the loss is Σ w·ce / Σ w', async () => {
  await initBackend('cpu');
  const model = SequenceModel.create(classifier('gru', 'mean', 1), 2);
  const batch = { rows: 2, inputs: Int32Array.of(1, 2, 3, 4), targets: Int32Array.of(0, 1), lengths: Int32Array.of(2, 2) };
  const logp = tf.tidy(() => tf.logSoftmax(model.classifyLogits(tf.tensor2d(batch.inputs, [2, 2], 'int32'), batch.lengths)).arraySync()) as number[][];
  const ce = [-logp[0][0], -logp[1][1]];
  const loss = tf.tidy(() => batchLoss({ task: 'classify', classWeights: [3, 1, 1] }, model, batch, 0).loss.dataSync()[0]);
  assert.ok(Math.abs(loss - (3 * ce[0] + ce[1]) / 4) < 1e-5, `${loss} vs ${(3 * ce[0] + ce[1]) / 4}`);
  model.dispose();
});

test('model.json keeps a classifier: its spec and weights come back the same', async () => {
  await initBackend('cpu');
  const model = SequenceModel.create(classifier('lstm', 'max'), 4);
  const { data, specs } = await tf.io.encodeWeights(model.namedWeights());
  const json = JSON.parse(JSON.stringify(model.modelJson('weights.bin', specs)));
  const loaded = SequenceModel.deserialize(json, data);
  assert.deepEqual(loaded.spec, model.spec);
  const texts = [
    [1, 2, 3],
    [4, 5, 6, 7, 8],
  ];
  assertRelativelyClose(probabilities(loaded, texts), probabilities(model, texts), 'probabilities after loading', 1e-6);
  assert.throws(() => SequenceModel.create({ ...classifier('lstm', 'max'), pool: 'sum' as PoolMode }, 0), /pool of last, mean or max/);
  loaded.dispose();
  model.dispose();
});

test('creating, loading and disposing a model leaves no tensor allocated, nor does a spec or a weights file that is refused', async () => {
  await initBackend('cpu');
  const before = tf.memory().numTensors;
  const model = SequenceModel.create(classifier('gru', 'mean'), 1);
  assert.equal(tf.memory().numTensors - before, model.variables.length, 'the variables only: no initial values kept');
  const { data, specs } = await tf.io.encodeWeights(model.namedWeights());
  const json = JSON.parse(JSON.stringify(model.modelJson('weights.bin', specs)));
  SequenceModel.deserialize(json, data).dispose();
  assert.throws(() => SequenceModel.create({ ...classifier('lstm', 'max'), pool: 'sum' as PoolMode }, 0), /pool of last, mean or max/);
  json.weightsManifest[0].weights[3].dtype = 'int32';
  assert.throws(() => SequenceModel.deserialize(json, data), /dtype "int32"; a SeqLab model's weights are float32/);
  json.weightsManifest[0].weights[3].dtype = 'float32';
  json.weightsManifest[0].weights[3].name = 'renamed';
  assert.throws(() => SequenceModel.deserialize(json, data));
  model.dispose();
  assert.equal(tf.memory().numTensors, before, 'nothing left allocated');
});

test('a residual classifier adds its head to the priors: untrained it gives them back, and it refuses to run without them', async () => {
  await initBackend('cpu');
  const model = SequenceModel.create({ ...classifier('gru', 'last', 1), residual: true }, 5);
  const ids = tf.tensor2d([1, 2, 0, 3, 4, 1], [2, 3], 'int32');
  const priors = tf.tensor2d([-0.1, -2.5, -3, -1.1, -1.1, -1.1], [2, 3]);
  assertRelativelyClose(model.classifyLogits(ids, Int32Array.of(2, 3), undefined, priors).arraySync(), priors.arraySync(), 'untrained logits', 1e-7);
  // Gradient reaches the head through the loss, so training moves the model away from the priors.
  const batch = {
    rows: 2,
    inputs: Int32Array.of(1, 2, 0, 3, 4, 1),
    targets: Int32Array.of(1, 0),
    lengths: Int32Array.of(2, 3),
    priors: priors.dataSync() as Float32Array,
  };
  const { grads } = tf.variableGrads(() => batchLoss({ task: 'classify', classWeights: null }, model, batch, 0).loss);
  assert.ok(Math.abs(tf.sum(tf.abs(grads[model.variables[model.variables.length - 2].name])).dataSync()[0]) > 0, 'the head weight gets a gradient');
  assert.throws(() => model.classifyLogits(ids, Int32Array.of(2, 3)), /a residual classifier needs priors/);
  const plain = SequenceModel.create(classifier('gru', 'last', 1), 5);
  assert.throws(() => plain.classifyLogits(ids, Int32Array.of(2, 3), undefined, priors), /a plain classifier takes no priors/);
  model.dispose();
  plain.dispose();
});
