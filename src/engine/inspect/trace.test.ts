// Tests of the trace: an RNN's every h_t is tanh(W_h·h_{t−1} + W_x·x_t + b) from the saved weights, gated cells follow PyTorch's gate math, and every cell matches the model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { assertRelativelyClose } from '../../testHelpers';
import { initBackend } from '../backend';
import { computeTrace } from './trace';
import { idsOf, randomRun } from './testModels';
import { MAX_TRACE_TOKENS } from '../../shared/inspect';
import { UsageError } from '../../shared/options';

const TEXT = 'the baker said "hello" twice.';

test('rnn: each traced h_t is tanh(W_hh·h_{t-1} + W_ih·x_t + b_ih + b_hh), recomputed here from the saved weights', async () => {
  await initBackend('wasm');
  const run = randomRun('rnn', 1, undefined, 9);
  const named = run.model.namedWeights();
  const get = (name: string) => named[name].arraySync() as number[][];
  const table = get('embedding'); // [V, E]
  const wIh = get('layer0/w_ih'); // [E, H]: PyTorch's weight_ih_l0 transposed
  const wHh = get('layer0/w_hh'); // [H, H]
  const b = (named['layer0/b_ih'].arraySync() as number[]).map((v, j) => v + (named['layer0/b_hh'].arraySync() as number[])[j]);
  const H = 9;
  const trace = computeTrace(run, TEXT);
  assert.equal(trace.steps.length, TEXT.length);
  let hPrev = new Array<number>(H).fill(0);
  idsOf(run, TEXT).forEach((id, t) => {
    const x = table[id];
    const h = Array.from({ length: H }, (_, j) => {
      let sum = b[j];
      for (let i = 0; i < x.length; i++) sum += wIh[i][j] * x[i];
      for (let k = 0; k < H; k++) sum += wHh[k][j] * hPrev[k];
      return Math.tanh(sum);
    });
    const step = trace.steps[t].layers[0];
    assertRelativelyClose(step.x, x, `x_${t} is the embedding row`, 1e-7);
    assertRelativelyClose(step.hPrev, hPrev, `h_${t - 1}`, 1e-5);
    assertRelativelyClose(step.h, h, `h_${t}`, 1e-5);
    assert.deepEqual(step.gates, {});
    hPrev = h;
  });
  run.model.dispose();
});

test('every cell, two layers: the traced last-layer h and next-token probabilities are the model forward pass; layer 1 reads layer 0', async () => {
  await initBackend('wasm');
  for (const cell of ['rnn', 'lstm', 'gru'] as const) {
    const run = randomRun(cell, 2);
    const ids = idsOf(run, TEXT);
    const { hidden, probs } = tf.tidy(() => {
      const input = tf.tensor2d(ids, [1, ids.length], 'int32');
      return {
        hidden: run.model.textHidden(input).hidden.arraySync(),
        probs: tf.softmax(run.model.textLogits(input).logits).arraySync(),
      };
    });
    const trace = computeTrace(run, TEXT, { top: 4 });
    assertRelativelyClose(
      trace.steps.map((s) => s.layers[1].h),
      hidden,
      `${cell}: last-layer h`,
      1e-5,
    );
    trace.steps.forEach((step, t) => {
      assert.deepEqual(step.layers[1].x, step.layers[0].h, `${cell}: layer 1 reads layer 0's h_${t}`);
      assert.equal(step.top.length, 4);
      for (const { token, prob } of step.top) assert.ok(Math.abs(prob - probs[t][run.vocab.id(token)]) < 1e-5, `${cell} step ${t}: P(${token})`);
      assert.ok(step.top.every((alt, k) => k === 0 || alt.prob <= step.top[k - 1].prob) && step.top.every((alt) => alt.token !== '<unk>'));
    });
    run.model.dispose();
  }
});

test('gated cells: the traced terms obey PyTorch gate math (LSTM c = f⊙c₋ + i⊙g, h = o⊙tanh c; GRU reset-after, h = (1−z)⊙n + z⊙h₋)', async () => {
  await initBackend('wasm');
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  for (const cell of ['lstm', 'gru'] as const) {
    const run = randomRun(cell, 1);
    const trace = computeTrace(run, TEXT);
    const H = trace.hidden;
    const { bIh, bHh } = trace.layers[0];
    for (const { layers } of trace.steps) {
      const s = layers[0];
      const block = (v: number[], k: number) => v.slice(k * H, (k + 1) * H);
      for (let j = 0; j < H; j++) {
        if (cell === 'lstm') {
          for (let k = 0; k < 4 * H; k++) assert.ok(Math.abs(s.pre[k] - (s.wx[k] + bIh[k] + s.wh[k] + bHh[k])) < 1e-5);
          const [i, f, g, o] = [0, 1, 2, 3].map((k) => block(s.pre, k)[j]);
          const c = sigmoid(f) * (s.cPrev as number[])[j] + sigmoid(i) * Math.tanh(g);
          assert.ok(Math.abs((s.c as number[])[j] - c) < 1e-5 && Math.abs(s.h[j] - sigmoid(o) * Math.tanh(c)) < 1e-5);
          assert.ok(Math.abs(s.gates.g[j] - Math.tanh(g)) < 1e-6 && Math.abs(s.gates.f[j] - sigmoid(f)) < 1e-6);
        } else {
          const r = sigmoid(s.wx[j] + bIh[j] + s.wh[j] + bHh[j]);
          const z = sigmoid(s.wx[H + j] + bIh[H + j] + s.wh[H + j] + bHh[H + j]);
          const n = Math.tanh(s.wx[2 * H + j] + bIh[2 * H + j] + r * (s.wh[2 * H + j] + bHh[2 * H + j]));
          assert.ok(Math.abs(s.gates.r[j] - r) < 1e-6 && Math.abs(s.gates.z[j] - z) < 1e-6 && Math.abs(s.gates.n[j] - n) < 1e-6);
          assert.ok(Math.abs(s.h[j] - ((1 - z) * n + z * s.hPrev[j])) < 1e-6);
        }
      }
    }
    assert.deepEqual(Object.keys(trace.steps[0].layers[0].gates), cell === 'lstm' ? ['i', 'f', 'g', 'o'] : ['r', 'z', 'n']);
    run.model.dispose();
  }
});

test('reset scoring: the trace starts again from a zero state every seqLen tokens; a text over the limit is refused', async () => {
  await initBackend('wasm');
  const run = randomRun('gru', 1, { scoring: 'reset', seqLen: 5 });
  const trace = computeTrace(run, TEXT);
  const zero = new Array<number>(12).fill(0);
  trace.steps.forEach((step, t) => {
    const fromZero = step.layers[0].hPrev.every((v) => v === 0);
    assert.equal(fromZero, t % 5 === 0, `step ${t}`);
  });
  assert.deepEqual(trace.steps[5].layers[0].hPrev, zero);
  assert.deepEqual(trace.steps[5].layers[0].h, computeTrace(run, TEXT.slice(5)).steps[0].layers[0].h);
  assert.throws(
    () => computeTrace(run, 'a'.repeat(MAX_TRACE_TOKENS + 1)),
    (e: Error) => e instanceof UsageError && /more than 256 char tokens/.test(e.message),
  );
  assert.throws(() => computeTrace(run, TEXT, { top: 0 }), /--top must be a whole number from 1 to 29/);
  run.model.dispose();
});
