// Checks the sampled softmax against the full cross-entropy (every class sampled), tfjs autodiff (a partial sample) and as an estimate.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { assertRelativelyClose } from '../../testHelpers';
import { initBackend, type BackendName } from '../backend';
import { Rng } from '../rng';
import { CandidateSampler } from './candidateSampler';
import { softmaxCrossEntropy } from './crossEntropy';
import { dense } from './dense';
import { sampledSoftmaxCrossEntropy } from './sampledSoftmax';
import type { SampledClasses } from '../../shared/protocol';

const BACKENDS: BackendName[] = ['cpu', 'wasm'];

/** The sampled loss from tfjs ops, differentiated by tfjs: columns picked by one-hot products, a sampled target masked out of its row. */
function referenceLoss(h: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, targets: Int32Array, classes: SampledClasses): tf.Scalar {
  const vocab = w.shape[1];
  const select = tf.transpose(tf.oneHot(tf.tensor1d(classes.ids, 'int32'), vocab)) as tf.Tensor2D; // [V, S]
  const pick = tf.transpose(tf.oneHot(tf.tensor1d(targets, 'int32'), vocab)) as tf.Tensor2D; // [V, N]
  const bRow = tf.reshape(b, [1, vocab]) as tf.Tensor2D;
  const sampled = tf.add(tf.matMul(h, tf.matMul(w, select)), tf.sub(tf.matMul(bRow, select), tf.tensor1d(classes.logInclusion)));
  const target = tf.add(tf.sum(tf.mul(h, tf.transpose(tf.matMul(w, pick))), 1), tf.reshape(tf.matMul(bRow, pick), [-1]));
  const sampledCount = classes.ids.length;
  const hits = Float32Array.from({ length: targets.length * sampledCount }, (_, i) =>
    classes.ids[i % sampledCount] === targets[Math.floor(i / sampledCount)] ? -1e9 : 0,
  );
  const all = tf.concat([tf.reshape(target, [-1, 1]), tf.add(sampled, tf.tensor2d(hits, [targets.length, sampledCount]))], 1);
  return tf.mean(tf.sub(tf.logSumExp(all, 1), target));
}

/** Hidden states, head weight and bias of a small problem, with logits spread like a trained model's. */
function problem(rows: number, width: number, vocab: number, seed: number): { h: tf.Tensor2D; w: tf.Tensor2D; b: tf.Tensor1D } {
  return {
    h: tf.randomNormal([rows, width], 0, 1, 'float32', seed) as tf.Tensor2D,
    w: tf.randomNormal([width, vocab], 0, 0.5, 'float32', seed + 1) as tf.Tensor2D,
    b: tf.randomNormal([vocab], 0, 2, 'float32', seed + 2) as tf.Tensor1D,
  };
}

for (const backend of BACKENDS) {
  test(`${backend}: with every class sampled, the loss and its gradients are the full softmax cross-entropy's`, async () => {
    await initBackend(backend);
    tf.tidy(() => {
      const { h, w, b } = problem(12, 6, 40, 1);
      const targets = Int32Array.from({ length: 12 }, (_, n) => (n * 7) % 40);
      const every = new CandidateSampler(new Float64Array(40), { size: 40, power: 0.75 }).sample(new Rng(1));
      assert.equal(every.ids.length, 40);
      // Inputs pass through an op inside the differentiated function, as in a model.
      const ours = (hs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) =>
        sampledSoftmaxCrossEntropy(tf.mul(hs, 1) as tf.Tensor2D, tf.mul(ws, 1) as tf.Tensor2D, bs as tf.Tensor1D, targets, every);
      const full = (hs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) =>
        softmaxCrossEntropy(dense(tf.mul(hs, 1) as tf.Tensor2D, ws as tf.Tensor2D, bs as tf.Tensor1D), tf.tensor1d(targets, 'int32'));
      assertRelativelyClose(ours(h, w, b), full(h, w, b), 'loss');
      const g = tf.grads(ours)([h, w, b]);
      const e = tf.grads(full)([h, w, b]);
      ['hidden', 'weight', 'bias'].forEach((name, k) => assertRelativelyClose(g[k], e[k], `gradient of the ${name}`));
    });
  });

  test(`${backend}: with a partial sample, inclusion corrections and sampled targets, the gradients match autodiff`, async () => {
    await initBackend(backend);
    tf.tidy(() => {
      const { h, w, b } = problem(10, 5, 30, 4);
      const targets = Int32Array.from([3, 3, 7, 0, 29, 12, 7, 20, 1, 3]);
      // Classes 3, 7 and 29 are also targets (accidental hits, left out of their rows).
      const classes: SampledClasses = {
        ids: Int32Array.from([0, 2, 3, 7, 11, 18, 25, 29]),
        logInclusion: Float32Array.from([-0.1, -2, -0.5, -1, -3, -0.2, -4, -1.5]),
      };
      const ours = (hs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) =>
        sampledSoftmaxCrossEntropy(tf.mul(hs, 1) as tf.Tensor2D, ws as tf.Tensor2D, bs as tf.Tensor1D, targets, classes);
      const theirs = (hs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => referenceLoss(hs as tf.Tensor2D, ws as tf.Tensor2D, bs as tf.Tensor1D, targets, classes);
      assertRelativelyClose(ours(h, w, b), theirs(h, w, b), 'loss');
      const g = tf.grads(ours)([h, w, b]);
      const e = tf.grads(theirs)([h, w, b]);
      ['hidden', 'weight', 'bias'].forEach((name, k) => assertRelativelyClose(g[k], e[k], `gradient of the ${name}`));
    });
  });
}

test('the sampled loss estimates the full cross-entropy within 1% from a tenth of the classes, and its bias shrinks with more', async () => {
  await initBackend('cpu');
  tf.tidy(() => {
    const [rows, width, vocab] = [512, 16, 3000];
    const rng = new Rng(9);
    // Zipfian training counts; the bias is the log unigram, as a trained head's roughly is, and targets follow it.
    const counts = Float64Array.from({ length: vocab }, (_, c) => Math.floor(20000 / (c + 1)));
    const total = counts.reduce((a, b) => a + b, 0);
    const targets = Int32Array.from({ length: rows }, () => {
      let r = rng.next() * total;
      let c = 0;
      while (r >= counts[c]) r -= counts[c++];
      return c;
    });
    const { h, w } = problem(rows, width, vocab, 7);
    const b = tf.tensor1d(Float32Array.from(counts, (count) => Math.log((count + 1) / total)));
    const full = softmaxCrossEntropy(dense(h, w, b), tf.tensor1d(targets, 'int32')).dataSync()[0];
    const meanSampled = (size: number) => {
      const sampler = new CandidateSampler(counts, { size, power: 0.75 });
      let sum = 0;
      for (let i = 0; i < 20; i++) sum += sampledSoftmaxCrossEntropy(h, w, b, targets, sampler.sample(rng)).dataSync()[0];
      return sum / 20;
    };
    const tenth = meanSampled(300);
    const third = meanSampled(1000);
    assert.ok(Math.abs(tenth - full) / full < 0.01, `a tenth of the classes: ${tenth} against the full ${full}`);
    assert.ok(Math.abs(third - full) < Math.abs(tenth - full), `a third of the classes: ${third}, no closer to the full ${full} than a tenth's ${tenth}`);
  });
});
