// Tests of unit search: a hand-built RNN whose unit 3 is on inside double quotes ranks first for a quoted span, and each score is what its definition gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend';
import { SequenceModel } from '../model';
import { Vocabulary } from '../data/text';
import { computeActivations } from './activations';
import type { InspectedRun } from './inspectedRun';
import { parseSpan, rankUnits, searchUnits } from './unitSearch';
import { TEST_CHARS } from './testModels';
import { UsageError } from '../../shared/options';

/** Saturating gain: tanh(±K/2) is ±1 in float32 terms. */
const K = 20;
const VOWELS = 'aeiou';

/**
 * An RNN with one-hot embeddings and 5 units (h ∈ {−1, +1}): unit 3, s, is +1 inside double quotes. A toggle is an XOR,
 * which one tanh layer cannot compute from s and the input in one step, so two helper units do it a step ahead:
 * A (unit 0) = quote ∧ s₋ and B (unit 1) = quote ∧ ¬s₋, and s = (s₋ ∧ ¬A₋) ∨ B₋: s turns on at the token after an opening
 * quote and off at the token after the closing one. Units 2 ('a' against 'b') and 4 (vowels) are unrelated to quotes.
 */
function quoteRun(): InspectedRun {
  const vocab = new Vocabulary(['<unk>', ...TEST_CHARS], 'char');
  const V = vocab.size;
  const H = 5;
  const model = SequenceModel.create({ task: 'text', cell: 'rnn', hidden: H, layers: 1, dropout: 0, vocabSize: V, embedding: V }, 1);
  const embedding = new Float32Array(V * V);
  for (let v = 0; v < V; v++) embedding[v * V + v] = 1;
  const wIh = new Float32Array(V * H); // [V, H]: token v's input to each unit
  const wHh = new Float32Array(H * H); // [H, H]: wHh[from·H + to]
  const bIh = new Float32Array(H);
  const quote = vocab.id('"');
  wIh[quote * H + 0] = K; // A: K(q + s/2 − 1)
  wHh[3 * H + 0] = K / 2;
  bIh[0] = -K;
  wIh[quote * H + 1] = K; // B: K(q − s/2 − 1)
  wHh[3 * H + 1] = -K / 2;
  bIh[1] = -K;
  wHh[3 * H + 3] = K / 2; // s: K(s − A + B)/2 − K/10
  wHh[0 * H + 3] = -K / 2;
  wHh[1 * H + 3] = K / 2;
  bIh[3] = -K / 10;
  wIh[vocab.id('a') * H + 2] = K;
  wIh[vocab.id('b') * H + 2] = -K;
  for (let v = 1; v < V; v++) wIh[v * H + 4] = VOWELS.includes(vocab.tokens[v]) ? K : -K;
  model.assignWeights({
    embedding: tf.tensor2d(embedding, [V, V]),
    'layer0/w_ih': tf.tensor2d(wIh, [V, H]),
    'layer0/w_hh': tf.tensor2d(wHh, [H, H]),
    'layer0/b_ih': tf.tensor1d(bIh),
    'layer0/b_hh': tf.zeros([H]),
    'head/w': tf.zeros([H, V]),
    'head/b': tf.zeros([V]),
  });
  return { model, vocab, stream: { scoring: 'carried', seqLen: 64 } };
}

const TEXT = 'the old baker said "a bad bet" and then he went home to bed and slept until noon.';

test('a planted quote unit: unit 3 is on inside the quotes, and ranks first by separation and by interpretability for a quoted span', async () => {
  await initBackend('wasm');
  const run = quoteRun();
  const open = TEXT.indexOf('"');
  const close = TEXT.indexOf('"', open + 1);
  const { values } = computeActivations(run, TEXT);
  // The construction works: s is +1 from the token after the opening quote to the closing one, −1 before and after.
  values.forEach((row, t) => assert.ok(t > open && t <= close ? row[3] > 0.99 : t === 0 || row[3] < -0.99, `unit 3 at ${t}: ${row[3]}`));
  const result = searchUnits(run, TEXT, { span: { start: open + 1, end: close }, top: 5 });
  assert.deepEqual([result.inside, result.outside], [close - open - 1, TEXT.length - (close - open - 1)]);
  assert.equal(result.bySeparation[0].unit, 3);
  assert.equal(result.byInterpretability[0].unit, 3);
  const planted = result.bySeparation[0];
  assert.ok(planted.separation > 5, `separation ${planted.separation}`);
  assert.ok(Math.abs(planted.separation) > 3 * Math.abs(result.bySeparation[1].separation), 'far ahead of the next unit');
  // Only the closing quote, outside the span, ties with the inside tokens: AUC = 1 − 0.5/outside.
  assert.ok(Math.abs(planted.auc - (1 - 0.5 / result.outside)) < 1e-6, `AUC ${planted.auc}`);
  assert.ok(planted.interpretability > 0.8 && planted.interpretability <= 1);
  // The vowel unit swings the most over the text, but says nothing about the quotes.
  assert.equal(result.byVariance[0].unit, 4);
  assert.ok(result.byInterpretability.find((s) => s.unit === 4)!.interpretability < 0.2);
  run.model.dispose();
});

test('the scores by hand: Cohen d with a pooled deviation, variance over the text, AUC with ties counting half, the interpretability', () => {
  const values = [
    [0, 3, 1],
    [0, -1, 1],
    [1, 2, 1],
    [1, 0, 0],
    [0, 1, 1],
    [0, 5, 1],
  ];
  const tokens = ['a', 'b', 'c', 'd', 'e', 'f'];
  const ranking = rankUnits({ values, offsets: [0, 1, 2, 3, 4, 5], tokens, span: { start: 2, end: 4 } });
  assert.deepEqual([ranking.inside, ranking.outside], [2, 4]);
  const score = (unit: number) => ranking.bySeparation.find((s) => s.unit === unit)!;
  const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} vs ${expected}`);
  // Unit 0 is 1 exactly inside: d is limited by the deviation's floor (1e-3), AUC 1, interpretability 1.
  close(score(0).separation, 1 / Math.sqrt(1e-6), 'unit 0 d');
  close(score(0).variance, 2 / 9, 'unit 0 variance');
  close(score(0).auc, 1, 'unit 0 AUC');
  close(score(0).interpretability, 1, 'unit 0 interpretability');
  // Unit 1: inside {2, 0}, outside {3, −1, 1, 5}; pooled variance (2 + 20) / 4; 3 of 8 pairs have inside > outside.
  close(score(1).separation, -1 / Math.sqrt(5.5 + 1e-6), 'unit 1 d');
  close(score(1).variance, 140 / 36, 'unit 1 variance');
  close(score(1).auc, 3 / 8, 'unit 1 AUC');
  close(score(1).interpretability, (0.25 * 1) / 6, 'unit 1 interpretability');
  // Unit 2: four ties count half each, and 0 < 1 counts nothing: AUC 2/8.
  close(score(2).auc, 2 / 8, 'unit 2 AUC with ties');
  assert.deepEqual(
    ranking.bySeparation.map((s) => s.unit),
    [0, 2, 1],
  );
  assert.deepEqual(
    ranking.byVariance.map((s) => s.unit),
    [1, 0, 2],
  );
  assert.equal(rankUnits({ values, offsets: [0, 1, 2, 3, 4, 5], tokens, span: { start: 2, end: 4 }, top: 1 }).byInterpretability.length, 1);
});

test('word tokens are inside when they overlap the span; spans nothing or everything overlaps, and bad --span text, are one-line UsageErrors', async () => {
  const values = [[0], [1], [2]];
  const tokens = ['ab', ' cd', ' e'];
  const offsets = [0, 2, 5];
  assert.equal(rankUnits({ values, offsets, tokens, span: { start: 3, end: 4 } }).inside, 1);
  assert.equal(rankUnits({ values, offsets, tokens, span: { start: 1, end: 3 } }).inside, 2);
  assert.throws(
    () => rankUnits({ values, offsets, tokens, span: { start: 7, end: 9 } }),
    (e: Error) => e instanceof UsageError && /No token overlaps/.test(e.message),
  );
  assert.throws(() => rankUnits({ values, offsets, tokens, span: { start: 0, end: 7 } }), /Every token overlaps the span 0:7/);
  assert.deepEqual(parseSpan(' 3 : 17 '), { start: 3, end: 17 });
  for (const bad of ['10-25', '5:', 'a:b', '-1:4', '1.5:3']) assert.throws(() => parseSpan(bad), /--span must be START:END/);
  await initBackend('wasm');
  const run = quoteRun();
  assert.throws(() => searchUnits(run, 'abc', { span: { start: 1, end: 4 } }), /0 ≤ START < END ≤ 3/);
  assert.throws(() => searchUnits(run, 'abc', { span: { start: 2, end: 2 } }), UsageError);
  run.model.dispose();
});
