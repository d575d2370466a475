// Tests of stateful text training and held-out scoring: dependencies longer than seqLen, and state carried against reset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../../testHelpers';
import * as tf from '@tensorflow/tfjs-core';
import { train } from '../train';
import { evaluateRun, loadRun, type LoadedRun } from '../predict';
import { Rng } from '../rng';
import type { TrainArgs } from '../../shared/options';

const runsDir = tempDir('seqlab-text-task-test-');
const SEQ_LEN = 8;
/** Letters between a bracket and its closer: three training windows. */
const SPAN = 3 * SEQ_LEN;
const FILLER = 'abcdefghijklmnopqrstuvwx'.slice(0, SPAN);

/**
 * Lines like "(abc)" or "[abcdefg]": the closer matches the bracket that opened the line. Training lines have 1 to
 * {@link SPAN} letters, so short ones, within a window, teach the model to keep the bracket in its state; `long` lines
 * all have SPAN letters, so the bracket is 3·seqLen characters before its closer.
 */
function bracketText(lines: number, seed: number, long = false): string {
  const rng = new Rng(seed);
  return Array.from({ length: lines }, () => {
    const letters = FILLER.slice(0, long ? SPAN : 1 + rng.int(SPAN));
    return rng.int(2) === 0 ? `(${letters})` : `[${letters}]`;
  }).join('\n');
}

async function trainOn(text: string, args: Partial<TrainArgs>): Promise<LoadedRun> {
  const result = await train({
    runsDir,
    text,
    args: { backend: 'wasm', cell: 'lstm', hidden: 32, embedding: 8, seqLen: SEQ_LEN, batch: 16, lr: 0.02, epochs: 40, threads: 1, patience: 0, ...args },
  });
  assert.equal(result.record.status, 'completed', result.record.message);
  return loadRun(result.runDir);
}

/** The share of closers the model gets right (')' against ']'), reading a fresh text as one stream with the state carried. */
function closerAccuracy(run: LoadedRun, text: string): number {
  const vocab = run.vocab!;
  const ids = vocab.encode(text);
  const [round, square] = [vocab.id(')'), vocab.id(']')];
  const logits = tf.tidy(() => run.model.textLogits(tf.tensor2d(Int32Array.from(ids), [1, ids.length], 'int32')).logits.arraySync());
  let right = 0;
  let closers = 0;
  for (let t = 0; t + 1 < ids.length; t++) {
    const next = ids[t + 1];
    if (next !== round && next !== square) continue;
    closers++;
    const saysRound = logits[t][round] > logits[t][square];
    if (saysRound === (next === round)) right++;
  }
  return right / closers;
}

const training = bracketText(600, 1);
/** The stateful model, trained once for both tests. */
const stateful = trainOn(training, { stateful: true });

test('stateful training learns a dependency three times longer than --seq-len; the same model trained without state cannot', async () => {
  const fresh = bracketText(100, 2, true);
  const withState = closerAccuracy(await stateful, fresh);
  const stateless = await trainOn(training, { stateful: false });
  const withoutState = closerAccuracy(stateless, fresh);
  assert.ok(withState > 0.9, `stateful: ${withState} of closers right`);
  assert.ok(withoutState < 0.75, `stateless: ${withoutState} of closers right (chance is 0.5)`);
  stateless.model.dispose();
});

test('scoring with the state carried gives a lower held-out loss than resetting every seqLen, on a text with long structure', async () => {
  const run = await stateful;
  const summary = await evaluateRun(run);
  assert.ok(summary.task === 'text' && summary.scorings);
  const { carried, reset } = summary.scorings;
  assert.equal(summary.metrics.state, 'carried');
  assert.ok(carried.valLoss < reset.valLoss - 0.01, `carried ${carried.valLoss} vs reset ${reset.valLoss}`);
  run.model.dispose();
});
