// Checks the fused recurrent layers against an unfused tfjs-ops oracle, finite differences and tfjs-layers.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { relativeError } from '../../testHelpers';
import { initBackend, type BackendName } from '../backend';
import { GATE_COUNT, embeddedRecurrentLayer, recurrentLayer, type RecurrentState, type RecurrentWeights } from './recurrent';
import type { CellType } from '../../shared/options';

const CELLS: CellType[] = ['rnn', 'lstm', 'gru'];
const BACKENDS: BackendName[] = ['cpu', 'wasm'];

/** The textbook layer written with differentiable tfjs ops (autodiff gradients): the oracle for the fused one. */
function oracle(cell: CellType, x: tf.Tensor3D, w: RecurrentWeights, init?: RecurrentState): { outputs: tf.Tensor3D; final: RecurrentState } {
  const [batch, time, input] = x.shape;
  const hidden = w.wHh.shape[0];
  const xp = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [batch * time, input]), w.wIh), w.bIh), [batch, time, -1]);
  let h: tf.Tensor2D = init?.h ?? tf.zeros([batch, hidden]);
  let c: tf.Tensor2D = init?.c ?? tf.zeros([batch, hidden]);
  const outputs: tf.Tensor2D[] = [];
  for (const xt of tf.unstack(xp, 1) as tf.Tensor2D[]) {
    const hp = tf.add(tf.matMul(h, w.wHh), w.bHh);
    if (cell === 'rnn') {
      h = tf.tanh(tf.add(xt, hp)) as tf.Tensor2D;
    } else if (cell === 'lstm') {
      const [i, f, g, o] = tf.split(tf.add(xt, hp), 4, 1);
      c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
      h = tf.mul(tf.sigmoid(o), tf.tanh(c));
    } else {
      const [xr, xz, xn] = tf.split(xt, 3, 1);
      const [hr, hz, hn] = tf.split(hp, 3, 1);
      const r = tf.sigmoid(tf.add(xr, hr));
      const z = tf.sigmoid(tf.add(xz, hz));
      const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
      h = tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h));
    }
    outputs.push(h);
  }
  return { outputs: tf.stack(outputs, 1) as tf.Tensor3D, final: cell === 'lstm' ? { h, c } : { h } };
}

interface Problem {
  x: tf.Tensor3D;
  w: RecurrentWeights;
  init: RecurrentState;
  /** Random projection that turns the outputs into a scalar loss. */
  probe: tf.Tensor3D;
}

function problem(cell: CellType, B: number, T: number, I: number, H: number, seed: number): Problem {
  const G = GATE_COUNT[cell] * H;
  const r = (shape: number[], k: number, scale = 0.5) => tf.randomUniform(shape, -scale, scale, 'float32', seed * 17 + k);
  return {
    x: r([B, T, I], 1, 1) as tf.Tensor3D,
    w: { wIh: r([I, G], 2) as tf.Tensor2D, wHh: r([H, G], 3) as tf.Tensor2D, bIh: r([G], 4) as tf.Tensor1D, bHh: r([G], 5) as tf.Tensor1D },
    init: { h: r([B, H], 6) as tf.Tensor2D, c: r([B, H], 7) as tf.Tensor2D },
    probe: r([B, T, H], 8, 1) as tf.Tensor3D,
  };
}

/** Gradients of sum(outputs ⊙ probe) with respect to x, the four weights, h0 and (LSTM) c0. */
function grads(layer: typeof recurrentLayer, cell: CellType, p: Problem): tf.Tensor[] {
  const f = (x: tf.Tensor, wIh: tf.Tensor, wHh: tf.Tensor, bIh: tf.Tensor, bHh: tf.Tensor, h: tf.Tensor, c: tf.Tensor) => {
    const w = { wIh, wHh, bIh, bHh } as RecurrentWeights;
    // x passes through an op first: tfjs frees such intermediates before backprop unless the layer saves them.
    const input = tf.mul(x, 1) as tf.Tensor3D;
    return tf.sum(tf.mul(layer(cell, input, w, { h: h as tf.Tensor2D, c: c as tf.Tensor2D }).outputs, p.probe));
  };
  const { w, init } = p;
  const inputs = [p.x, w.wIh, w.wHh, w.bIh, w.bHh, init.h, init.c!].slice(0, cell === 'lstm' ? 7 : 6);
  return tf.grads((...a: tf.Tensor[]) => f(a[0], a[1], a[2], a[3], a[4], a[5], a[6] ?? init.c!))(inputs);
}

for (const backend of BACKENDS) {
  for (const cell of CELLS) {
    test(`${backend} ${cell}: outputs, final state and gradients match the unfused oracle`, async () => {
      await initBackend(backend);
      tf.tidy(() => {
        const p = problem(cell, 3, 7, 5, 6, 1);
        const fused = recurrentLayer(cell, p.x, p.w, p.init);
        const ref = oracle(cell, p.x, p.w, p.init);
        assert.ok(relativeError(fused.outputs, ref.outputs) < 1e-5, 'outputs');
        assert.ok(relativeError(fused.final.h, ref.final.h) < 1e-5, 'final h');
        if (cell === 'lstm') assert.ok(relativeError(fused.final.c!, ref.final.c!) < 1e-5, 'final c');
        const gr = grads(oracle as typeof recurrentLayer, cell, p);
        const names = ['x', 'wIh', 'wHh', 'bIh', 'bHh', 'h0', 'c0'];
        // Twice: the second call runs on arrays reused from the first.
        for (const call of [1, 2]) {
          const g = grads(recurrentLayer, cell, p);
          for (let k = 0; k < g.length; k++) {
            assert.ok(relativeError(g[k], gr[k]) < 1e-4, `call ${call}, gradient of ${names[k]}: ${relativeError(g[k], gr[k])}`);
          }
        }
      });
    });
  }
}

// Vocabulary 9 < 18 tokens projects the whole table; 40 > 18 projects per token.
for (const [backend, vocab] of BACKENDS.flatMap((b) => [9, 40].map((v) => [b, v] as const))) {
  for (const cell of CELLS) {
    test(`${backend} ${cell}: the embedded-token layer (vocabulary ${vocab}) matches the oracle on one-hot·table`, async () => {
      await initBackend(backend);
      tf.tidy(() => {
        const p = problem(cell, 3, 6, 4, 5, 5);
        const table = tf.randomUniform([vocab, 4], -1, 1, 'float32', 11) as tf.Tensor2D;
        const ids = tf.tensor2d(
          [
            [0, 3, 3, 8, 1, 0],
            [2, 2, 2, 5, 7, 8],
            [8, 0, 4, 4, 6, vocab - 1],
          ],
          [3, 6],
          'int32',
        );
        const run = (fused: boolean, t: tf.Tensor, wIh: tf.Tensor, wHh: tf.Tensor, bIh: tf.Tensor, bHh: tf.Tensor, h: tf.Tensor, c: tf.Tensor) => {
          const w = { wIh, wHh, bIh, bHh } as RecurrentWeights;
          const init = { h: h as tf.Tensor2D, c: c as tf.Tensor2D };
          const out = fused
            ? embeddedRecurrentLayer(cell, tf.mul(t, 1) as tf.Tensor2D, ids, w, init)
            : oracle(cell, tf.reshape(tf.matMul(tf.reshape(tf.oneHot(ids, vocab), [18, vocab]), t), [3, 6, 4]) as tf.Tensor3D, w, init);
          return { loss: tf.sum(tf.mul(out.outputs, p.probe)), out };
        };
        const inputs = [table, p.w.wIh, p.w.wHh, p.w.bIh, p.w.bHh, p.init.h, p.init.c!].slice(0, cell === 'lstm' ? 7 : 6);
        const results = [true, false].map((fused) => {
          const f = (...a: tf.Tensor[]) => run(fused, a[0], a[1], a[2], a[3], a[4], a[5], a[6] ?? p.init.c!).loss;
          return { out: run(fused, table, p.w.wIh, p.w.wHh, p.w.bIh, p.w.bHh, p.init.h, p.init.c!).out, grads: tf.grads(f)(inputs) };
        });
        const [fused, ref] = results;
        assert.ok(relativeError(fused.out.outputs, ref.out.outputs) < 1e-5, 'outputs');
        assert.ok(relativeError(fused.out.final.h, ref.out.final.h) < 1e-5, 'final h');
        fused.grads.forEach((g, k) => assert.ok(relativeError(g, ref.grads[k]) < 1e-4, `gradient ${k}: ${relativeError(g, ref.grads[k])}`));
      });
    });
  }
}

for (const cell of CELLS) {
  test(`cpu ${cell}: gradients match central finite differences`, async () => {
    await initBackend('cpu');
    tf.tidy(() => {
      const p = problem(cell, 2, 4, 3, 4, 2);
      const loss = (q: Problem) => tf.sum(tf.mul(recurrentLayer(cell, q.x, q.w, q.init).outputs, q.probe)).dataSync()[0];
      const g = grads(recurrentLayer, cell, p);
      const keys: (keyof RecurrentWeights)[] = ['wIh', 'wHh', 'bIh', 'bHh'];
      const tensors: tf.Tensor[] = [p.x, ...keys.map((k) => p.w[k]), p.init.h, p.init.c!];
      const eps = 1e-2;
      let worst = 0;
      tensors.slice(0, g.length).forEach((t, which) => {
        const base = t.dataSync().slice();
        const analytic = g[which].dataSync();
        for (let k = 0; k < base.length; k++) {
          const shifted = (delta: number) => {
            const v = base.slice();
            v[k] += delta;
            const nt = tf.tensor(v, t.shape);
            const q: Problem = { ...p, w: { ...p.w }, init: { ...p.init } };
            if (which === 0) q.x = nt as tf.Tensor3D;
            else if (which <= 4) (q.w as unknown as Record<string, tf.Tensor>)[keys[which - 1]] = nt;
            else if (which === 5) q.init.h = nt as tf.Tensor2D;
            else q.init.c = nt as tf.Tensor2D;
            return loss(q);
          };
          const numeric = (shifted(eps) - shifted(-eps)) / (2 * eps);
          worst = Math.max(worst, Math.abs(numeric - analytic[k]) / Math.max(1, Math.abs(numeric)));
        }
      });
      assert.ok(worst < 5e-3, `worst finite-difference mismatch ${worst}`);
    });
  });
}

/** tfjs-layers' weights for our cell: Keras orders GRU gates z, r, h (ours r, z, n) and has one bias. */
function kerasWeights(cell: CellType, w: RecurrentWeights): tf.Tensor[] {
  const bias = tf.add(w.bIh, w.bHh);
  if (cell !== 'gru') return [w.wIh, w.wHh, bias];
  const swap = (t: tf.Tensor) => {
    const [r, z, n] = tf.split(t, 3, -1);
    return tf.concat([z, r, n], -1);
  };
  return [swap(w.wIh), swap(w.wHh), swap(bias)];
}

for (const backend of BACKENDS) {
  for (const cell of CELLS) {
    test(`${backend} ${cell}: outputs match tfjs-layers with the same weights`, async () => {
      await initBackend(backend);
      tf.tidy(() => {
        const p = problem(cell, 4, 9, 5, 8, 3);
        if (cell === 'gru') {
          // Keras' GRU applies r before the recurrent matMul, PyTorch's after: they agree when Whn = 0 and bhn = 0.
          const H = 8;
          const mask = tf.concat([tf.ones([2 * H]), tf.zeros([H])]);
          p.w.wHh = tf.mul(p.w.wHh, mask);
          p.w.bHh = tf.mul(p.w.bHh, mask);
        }
        // The default orthogonal initializer needs tfjs' chained ops, absent from tfjs-core's node bundle.
        const options = { units: 8, returnSequences: true, recurrentActivation: 'sigmoid' as const, recurrentInitializer: 'glorotUniform' as const };
        const layer = cell === 'rnn' ? tfl.layers.simpleRNN(options) : cell === 'lstm' ? tfl.layers.lstm(options) : tfl.layers.gru(options);
        layer.apply(p.x); // builds the weights
        layer.setWeights(kerasWeights(cell, p.w));
        const expected = layer.apply(p.x) as tf.Tensor3D;
        const actual = recurrentLayer(cell, p.x, p.w).outputs;
        assert.ok(relativeError(actual, expected) < 1e-5, `relative error ${relativeError(actual, expected)}`);
        layer.dispose();
      });
    });
  }
}

test('wasm: forward, backward and final state free every temporary', async () => {
  await initBackend('wasm');
  const problems = CELLS.map((cell, k) => problem(cell, 2, 5, 3, 4, 4 + k));
  const tensorsBefore = tf.memory().numTensors;
  const buffersBefore = tf.backend().numDataIds();
  CELLS.forEach((cell, k) => tf.tidy(() => void grads(recurrentLayer, cell, problems[k])));
  assert.equal(tf.memory().numTensors, tensorsBefore, 'tensors leaked');
  assert.equal(tf.backend().numDataIds(), buffersBefore, 'backend buffers leaked');
});
