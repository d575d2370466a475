// Checks the dense, embedding and cross-entropy helpers and the Device products against tfjs' own ops and autodiff.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { assertRelativelyClose } from '../../testHelpers';
import { initBackend, type BackendName } from '../backend';
import { dense } from './dense';
import { embedding } from './embedding';
import { softmaxCrossEntropy } from './crossEntropy';
import { Device } from './device';

const BACKENDS: BackendName[] = ['cpu', 'wasm'];

for (const backend of BACKENDS) {
  test(`${backend}: dense matches matMul + bias, and its gradients match autodiff`, async () => {
    await initBackend(backend);
    tf.tidy(() => {
      const x = tf.randomNormal([7, 5], 0, 1, 'float32', 1) as tf.Tensor2D;
      const w = tf.randomNormal([5, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
      const b = tf.randomNormal([3], 0, 1, 'float32', 3) as tf.Tensor1D;
      const probe = tf.randomNormal([7, 3], 0, 1, 'float32', 4);
      // x passes through an op inside the differentiated function, as in a model.
      const ours = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => dense(tf.mul(xs, 1) as tf.Tensor2D, ws as tf.Tensor2D, bs as tf.Tensor1D);
      const theirs = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => tf.add(tf.matMul(xs as tf.Tensor2D, ws as tf.Tensor2D), bs) as tf.Tensor2D;
      assertRelativelyClose(ours(x, w, b), theirs(x, w, b), 'output');
      const loss = (f: typeof ours) => (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.mul(f(xs, ws, bs), probe));
      const g = tf.grads(loss(ours))([x, w, b]);
      const e = tf.grads(loss(theirs))([x, w, b]);
      ['x', 'w', 'b'].forEach((name, k) => assertRelativelyClose(g[k], e[k], `gradient of ${name}`));
    });
  });

  test(`${backend}: embedding gathers rows and scatter-adds its gradient (repeated ids included)`, async () => {
    await initBackend(backend);
    tf.tidy(() => {
      const table = tf.randomNormal([6, 4], 0, 1, 'float32', 5) as tf.Tensor2D;
      const ids = tf.tensor2d(
        [
          [0, 5, 5],
          [2, 0, 0],
        ],
        [2, 3],
        'int32',
      );
      const probe = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 6);
      const oneHot = (t: tf.Tensor) => tf.reshape(tf.matMul(tf.reshape(tf.oneHot(ids, 6), [6, 6]), t as tf.Tensor2D), [2, 3, 4]);
      assertRelativelyClose(embedding(table, ids), oneHot(table), 'lookup');
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embedding(tf.mul(t, 1) as tf.Tensor2D, tf.add(ids, tf.scalar(0, 'int32'))), probe)))(table);
      const e = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(oneHot(t), probe)))(table);
      assertRelativelyClose(g, e, 'gradient of the table');
    });
  });
}

for (const backend of BACKENDS) {
  test(`${backend}: softmaxCrossEntropy matches tfjs' loss and its gradient`, async () => {
    await initBackend(backend);
    tf.tidy(() => {
      const logits = tf.mul(tf.randomNormal([9, 5], 0, 1, 'float32', 7), 4) as tf.Tensor2D;
      const labels = tf.tensor1d([0, 4, 4, 1, 2, 3, 0, 2, 1], 'int32');
      const ours = (x: tf.Tensor) => softmaxCrossEntropy(tf.mul(x, 1) as tf.Tensor2D, labels);
      const theirs = (x: tf.Tensor) => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 5), x) as tf.Scalar;
      assertRelativelyClose(ours(logits), theirs(logits), 'loss');
      assertRelativelyClose(tf.grad(ours)(logits), tf.grad(theirs)(logits), 'gradient');
      assert.throws(() => softmaxCrossEntropy(logits, tf.tensor1d([0, 1, 2, 3, 4, 5, 0, 0, 0], 'int32')), /label 5/);
    });
  });
}

for (const backend of BACKENDS) {
  test(`${backend}: Device's matMul, matMulTransposeA and columnSums match tfjs for block-sized and ragged shapes`, async () => {
    await initBackend(backend);
    const dev = Device.current();
    tf.tidy(() => {
      // [40, 10, 2] takes matMulTransposeA's (bᵀ·a)ᵀ route; the others its aᵀ·b route.
      for (const [m, k, n] of [
        [1, 3, 1],
        [4, 4, 4],
        [9, 7, 6],
        [13, 130, 67],
        [3, 5, 8],
        [40, 10, 2],
      ]) {
        const a = tf.randomNormal([m, k], 0, 1, 'float32', m + k) as tf.Tensor2D;
        const b = tf.randomNormal([k, n], 0, 1, 'float32', k + n) as tf.Tensor2D;
        const at = tf.transpose(a) as tf.Tensor2D;
        assertRelativelyClose(dev.adopt(dev.matMul(a, b)), tf.matMul(a, b), `[${m}, ${k}]·[${k}, ${n}]`);
        assertRelativelyClose(dev.adopt(dev.matMulTransposeA(at, b)), tf.matMul(a, b), `[${k}, ${m}]ᵀ·[${k}, ${n}]`);
        assertRelativelyClose(dev.adopt(dev.columnSums(b)), tf.sum(b, 0, true), `column sums of [${k}, ${n}]`);
      }
    });
  });
}
