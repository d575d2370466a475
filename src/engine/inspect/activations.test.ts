// Tests of activations: the stream's last-layer h is the model's own forward pass, chunks join up, reset windows start from zero, an LSTM's c is its cell state, and the packed form the host receives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { assertRelativelyClose, relativeError } from '../../testHelpers';
import { initBackend } from '../backend';
import { computeActivations, computePackedActivations } from './activations';
import { computeTrace } from './trace';
import { forwardAll, idsOf, randomRun } from './testModels';
import { UsageError } from '../../shared/options';
import { packedActivationsSchema } from '../../shared/inspect';

const TEXT = 'she said "the river is high" and the baker laughed. then the band played on, and on, until dark. ';

/** Rows [from, to) of a [T, H] array of rows. */
function rows(values: number[][], from: number, to: number): number[][] {
  return values.slice(from, to);
}

test('the last layer h after the stream is the model forward pass, for every cell, in one call or in chunks of 16', async () => {
  await initBackend('wasm');
  for (const cell of ['rnn', 'lstm', 'gru'] as const) {
    const run = randomRun(cell, 2);
    const ids = idsOf(run, TEXT);
    const expected = tf.tidy(() => run.model.textHidden(tf.tensor2d(ids, [1, ids.length], 'int32')).hidden.arraySync());
    for (const chunk of [undefined, 16]) {
      const { values, layer, units } = computeActivations(run, TEXT, { chunk });
      assert.deepEqual([layer, units, values.length], [1, 12, TEXT.length]);
      assertRelativelyClose(values, expected, `${cell}, chunk ${chunk ?? 'default'}`, 1e-5);
    }
    // The first layer is not the last one: layer 0 is its own, and the model's.
    const first = computeActivations(run, TEXT, { layer: 0, chunk: 16 }).values;
    assertRelativelyClose(first, forwardAll(run.model, ids).layers[0], `${cell} layer 0`, 1e-5);
    assert.ok(relativeError(first, expected) > 0.01, `${cell}: layer 0 differs from layer 1`);
    run.model.dispose();
  }
});

test('reset scoring: every window of seqLen tokens, and the tail after them, starts from a zero state', async () => {
  await initBackend('wasm');
  const seqLen = 10;
  const run = randomRun('lstm', 1, { scoring: 'reset', seqLen });
  const text = TEXT.slice(0, 95); // 9 windows and a tail of 5
  const ids = idsOf(run, text);
  const { values } = computeActivations(run, text);
  for (let start = 0; start < ids.length; start += seqLen) {
    const end = Math.min(start + seqLen, ids.length);
    const fresh = forwardAll(run.model, ids.subarray(start, end)).layers[0];
    assertRelativelyClose(rows(values, start, end), fresh, `window at ${start}`, 1e-5);
  }
  // The cell states of windows run side by side are in order too: the reference trace resets at the same tokens.
  const c = computeActivations(run, text, { state: 'c' }).values;
  const traced = computeTrace(run, text).steps.map((step) => step.layers[0].c as number[]);
  assertRelativelyClose(c, traced, 'c of the windows against the trace', 1e-5);
  const carried = computeActivations({ ...run, stream: { scoring: 'carried', seqLen } }, text).values;
  assertRelativelyClose(rows(carried, 0, seqLen), rows(values, 0, seqLen), 'the first window is the same either way', 1e-6);
  assert.ok(relativeError(rows(carried, seqLen, 2 * seqLen), rows(values, seqLen, 2 * seqLen)) > 1e-3, 'the second window differs from the carried stream');
  run.model.dispose();
});

test("an LSTM's c: the model's final cell state after the stream, and the trace's c at every step, for each layer", async () => {
  await initBackend('wasm');
  const run = randomRun('lstm', 2);
  const ids = idsOf(run, TEXT);
  const { final } = forwardAll(run.model, ids);
  const trace = computeTrace(run, TEXT);
  for (const layer of [0, 1]) {
    const { values, state } = computeActivations(run, TEXT, { layer, state: 'c', chunk: 16 });
    assert.equal(state, 'c');
    assertRelativelyClose(values[ids.length - 1], final[layer].c as Float32Array, `layer ${layer}: final c`, 1e-5);
    const traced = trace.steps.map((step) => step.layers[layer].c as number[]);
    assertRelativelyClose(values, traced, `layer ${layer}: c at every step against the trace`, 1e-5);
    // c is not h: an LSTM's h = o ⊙ tanh(c) is smaller.
    const h = computeActivations(run, TEXT, { layer, chunk: 16 }).values;
    assert.ok(relativeError(h, values) > 0.05, `layer ${layer}: c differs from h`);
  }
  run.model.dispose();
});

test('a layer out of range and a state the cell lacks are one-line UsageErrors that say what exists', async () => {
  await initBackend('wasm');
  const lstm = randomRun('lstm', 2);
  assert.throws(
    () => computeActivations(lstm, TEXT, { layer: 2 }),
    (e: Error) => e instanceof UsageError && /--layer must be from 0 to 1: the model has 2 layers, not 2/.test(e.message),
  );
  assert.throws(() => computeActivations(lstm, TEXT, { layer: -1 }), UsageError);
  assert.throws(() => computeActivations(lstm, TEXT, { layer: 0.5 }), UsageError);
  for (const cell of ['gru', 'rnn'] as const) {
    const run = randomRun(cell, 1);
    assert.throws(
      () => computeActivations(run, TEXT, { state: 'c' }),
      (e: Error) =>
        e instanceof UsageError && /has only the state h \(--state h\); the cell state c exists only in an LSTM/.test(e.message) && !e.message.includes('\n'),
    );
    assert.throws(() => computeActivations(run, TEXT, { layer: 1 }), /--layer must be 0: the model has one layer, not 1/);
    run.model.dispose();
  }
  lstm.model.dispose();
});

test('packed activations, as the engine process sends them: the same values row-major, and with rows only the tokens that overlap the span', async () => {
  await initBackend('wasm');
  const run = randomRun('lstm', 2);
  const full = computeActivations(run, TEXT, { state: 'c' });
  const packed = computePackedActivations(run, TEXT, { state: 'c' });
  assert.deepEqual([packed.valuesFrom, packed.values.length], [0, TEXT.length * 12]);
  assert.deepEqual(Array.from(packed.values), full.values.flat().map(Math.fround));
  assert.ok(packedActivationsSchema.safeParse(packed).success);
  const part = computePackedActivations(run, TEXT, { state: 'c', rows: { start: 10, end: 25 } });
  assert.deepEqual([part.valuesFrom, part.values.length / part.units], [10, 15]);
  assert.deepEqual(Array.from(part.values), full.values.slice(10, 25).flat().map(Math.fround));
  assert.equal(packedActivationsSchema.safeParse({ ...part, valuesFrom: TEXT.length - 5 }).success, false, 'rows past the last token are refused');
  assert.equal(packedActivationsSchema.safeParse({ ...part, values: Array.from(part.values) }).success, false, 'values must be packed');
  run.model.dispose();
});
