// Checks the fused Adam against tf.train.adam with global-norm clipping, and that their saved states load into each other.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { Adam } from './adam';
import { initBackend } from './backend';

const SHAPES = [[5, 3], [3], [2, 2, 2]];
const LR = 0.01;
const CLIP = 1;

function variables(seed: number): tf.Variable[] {
  return SHAPES.map((shape, i) => tf.variable(tf.randomNormal(shape, 0, 1, 'float32', seed + i)));
}

/** Step k's gradients, their norms spread from well under to far over the clip threshold. */
function gradients(step: number): Float32Array[] {
  return SHAPES.map((shape, i) => tf.tidy(() => tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 100 * step + i), 0.05 * 4 ** step).dataSync() as Float32Array));
}

/** The reference: tfjs' global-norm clipping by tensor ops, then tf.train.adam. */
function referenceStep(optimizer: tf.Optimizer, vars: tf.Variable[], grads: Float32Array[], clip: number): void {
  tf.tidy(() => {
    const tensors = grads.map((g, i) => tf.tensor(g, vars[i].shape));
    const norm = tf.sqrt(tf.addN(tensors.map((g) => tf.sum(tf.square(g)))));
    const scale = clip > 0 ? tf.div(clip, tf.maximum(norm, clip)) : tf.scalar(1);
    optimizer.applyGradients(Object.fromEntries(tensors.map((g, i) => [vars[i].name, tf.mul(g, scale)])));
  });
}

function assertSameValues(actual: tf.Variable[], expected: tf.Variable[], what: string): void {
  actual.forEach((v, i) => {
    const a = v.dataSync();
    const e = expected[i].dataSync();
    // Relative to the value, or absolute below 1 (the reference computes in float32, this Adam in float64).
    const worst = Math.max(...Array.from(a, (x, k) => Math.abs(x - e[k]) / Math.max(1, Math.abs(e[k]))));
    assert.ok(worst < 1e-5, `${what}, variable ${i}: relative difference ${worst}`);
  });
}

for (const clip of [CLIP, 0]) {
  test(`Adam matches tf.train.adam ${clip > 0 ? 'with global-norm clipping' : 'without clipping'} over 6 steps`, async () => {
    await initBackend('cpu');
    const ours = variables(1);
    const theirs = variables(1);
    const adam = new Adam(ours, LR, clip);
    const reference = tf.train.adam(LR);
    for (let step = 0; step < 6; step++) {
      const grads = gradients(step);
      adam.step(grads);
      referenceStep(reference, theirs, grads, clip);
    }
    assertSameValues(ours, theirs, 'after 6 steps');
    const moved = Math.max(...ours.map((v, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(v, variables(1)[i]))).dataSync()[0])));
    assert.ok(moved > LR, `the variables moved (by up to ${moved})`);
    tf.dispose([...ours, ...theirs]);
    reference.dispose();
  });
}

test("Adam's saved state and tf.train.adam's load into each other and continue identically", async () => {
  await initBackend('cpu');
  const ours = variables(7);
  const theirs = variables(7);
  const reference = tf.train.adam(LR);
  for (let step = 0; step < 3; step++) referenceStep(reference, theirs, gradients(step), CLIP);
  ours.forEach((v, i) => v.assign(theirs[i]));
  const adam = new Adam(ours, LR, CLIP);
  const saved = await reference.getWeights();
  adam.setWeights(saved);
  for (let step = 3; step < 5; step++) {
    adam.step(gradients(step));
    referenceStep(reference, theirs, gradients(step), CLIP);
  }
  assertSameValues(ours, theirs, 'continued from tf.train.adam state');

  const back = tf.train.adam(LR);
  const state = adam.getWeights();
  await back.setWeights(state.map((entry) => ({ ...entry, tensor: tf.clone(entry.tensor) })));
  assert.equal((await back.getWeights())[0].tensor.dataSync()[0], 5, 'the iteration count');
  assert.throws(() => adam.setWeights(state.slice(1)), /has 6 entries, expected 7/);
  tf.dispose([...ours, ...theirs, ...state.map((entry) => entry.tensor)]);
  reference.dispose();
  back.dispose();
});
